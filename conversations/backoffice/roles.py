"""Staff roles: which groups exist, what each may do, and which assistants' data each may see.

A role is a Django group (made by a data migration) plus a scope: the kind of assistant whose
transcripts, FAQs and settings its members work with. Superusers see everything; a staff user
in no role sees no assistant's data, whatever model permissions they were given by hand.
"""

from collections.abc import Iterable
from typing import Any

from django.db.models import Q, QuerySet

from conversations.models import AssistantKind

# The groups' names, shown to superusers in the users and groups pages (0012 renamed the English ones).
SALES_MANAGERS = "Gerentes de ventas"
HR_STAFF = "Personal de RH"

_EDIT = ("add", "change", "delete", "view")
_ASSISTANT_DATA = {
    "conversations.conversation": ("change", "view"),  # change = reply and hand back
    "conversations.faq": _EDIT,
    "conversations.assistant": ("change", "view"),
    "conversations.channelnumber": _EDIT,
    "conversations.cannedreply": _EDIT,  # each role edits its own assistants' saved replies
}

# group -> {"app_label.model": actions}
ROLE_PERMISSIONS: dict[str, dict[str, tuple[str, ...]]] = {
    SALES_MANAGERS: {
        "catalog.vehicle": _EDIT,
        "leads.lead": ("change", "view"),
        **_ASSISTANT_DATA,
    },
    HR_STAFF: dict(_ASSISTANT_DATA),
}

ROLE_ASSISTANT_KINDS: dict[str, str] = {
    SALES_MANAGERS: AssistantKind.SALES,
    HR_STAFF: AssistantKind.ONBOARDING,
}

_KINDS_CACHE_ATTRIBUTE = "_kvky_assistant_kinds"


def role_permission_codenames(role: str) -> list[tuple[str, str]]:
    """(app_label, codename) of every permission the role grants, e.g. ('catalog', 'view_vehicle')."""
    pairs = []
    for label, actions in ROLE_PERMISSIONS[role].items():
        app_label, model = label.split(".")
        pairs.extend((app_label, f"{action}_{model}") for action in actions)
    return pairs


def sync_roles(group_model: Any, permission_model: Any) -> None:
    """Create the role groups and set exactly their permissions; takes the models so a migration can call it."""
    for role in ROLE_PERMISSIONS:
        group, _ = group_model.objects.get_or_create(name=role)
        wanted = Q(pk__in=[])
        for app_label, codename in role_permission_codenames(role):
            wanted |= Q(content_type__app_label=app_label, codename=codename)
        group.permissions.set(permission_model.objects.filter(wanted))


def visible_assistant_kinds(user: Any) -> frozenset[str]:
    """The kinds of assistant whose data the user may see (remembered on the user object for the request)."""
    cached = getattr(user, _KINDS_CACHE_ATTRIBUTE, None)
    if cached is not None:
        return cached
    if not user.is_active or not user.is_staff:
        kinds: frozenset[str] = frozenset()
    elif user.is_superuser:
        kinds = frozenset(AssistantKind.values)
    else:
        groups = set(user.groups.values_list("name", flat=True))
        kinds = frozenset(kind for role, kind in ROLE_ASSISTANT_KINDS.items() if role in groups)
    setattr(user, _KINDS_CACHE_ATTRIBUTE, kinds)
    return kinds


def scope_to_user(queryset: QuerySet, user: Any, assistant_path: str) -> QuerySet:
    """Only the rows of assistants the user may see; `assistant_path` leads from the row to its assistant
    ("assistant", or "" when the rows are assistants)."""
    lookup = f"{assistant_path}__kind__in" if assistant_path else "kind__in"
    return queryset.filter(**{lookup: sorted(visible_assistant_kinds(user))})


def may_see_assistant_kind(user: Any, kind: str) -> bool:
    return kind in visible_assistant_kinds(user)


def users_in_roles(user_model: Any, roles: Iterable[str]) -> QuerySet:
    """Active staff users in any of the roles, or superusers: the people a lead can be assigned to."""
    return (
        user_model.objects.filter(is_active=True, is_staff=True)
        .filter(Q(groups__name__in=list(roles)) | Q(is_superuser=True))
        .distinct()
        .order_by("username")
    )
