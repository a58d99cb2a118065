"""The catalog in the back office: search and filter the vehicles, edit them, import and export spreadsheets."""

from decimal import Decimal
from typing import Any

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.html import format_html
from import_export.admin import ImportExportModelAdmin

from catalog.imports import CatalogImportViews
from catalog.models import Availability, Vehicle
from catalog.resources import VehicleResource
from catalog.services import CellError, parse_stock_id, parse_year, vehicles_set_status
from conversations.backoffice.exports import EXPORT_FORMATS, FilteredExportMixin
from conversations.templatetags.replies import pesos, thousands

PRICE_BANDS: list[tuple[str, str, Decimal | None, Decimal | None]] = [
    ("-200000", "Hasta $200,000", None, Decimal(200_000)),
    ("200000-300000", "$200,000 a $300,000", Decimal(200_000), Decimal(300_000)),
    ("300000-400000", "$300,000 a $400,000", Decimal(300_000), Decimal(400_000)),
    ("400000-600000", "$400,000 a $600,000", Decimal(400_000), Decimal(600_000)),
    ("600000-", "Más de $600,000", Decimal(600_000), None),
]


class PriceRangeFilter(admin.SimpleListFilter):
    title = "precio"
    parameter_name = "precio"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
        return [(key, label) for key, label, _, _ in PRICE_BANDS]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Vehicle]) -> QuerySet[Vehicle]:
        for key, _, low, high in PRICE_BANDS:
            if self.value() == key:
                if low is not None:
                    queryset = queryset.filter(price__gte=low)
                return queryset.filter(price__lt=high) if high is not None else queryset
        return queryset


class VehicleForm(forms.ModelForm):
    """The model's own checks, plus the import's rules for a stock ID and a model year."""

    class Meta:
        model = Vehicle
        fields = [
            "stock_id", "make", "model", "year", "version", "km", "price", "body_type", "bluetooth", "car_play",
            "length_mm", "width_mm", "height_mm", "photo_url", "status",
        ]  # fmt: skip

    def clean_stock_id(self) -> str:
        return self._parsed(parse_stock_id, self.cleaned_data["stock_id"])

    def clean_year(self) -> int:
        return self._parsed(parse_year, self.cleaned_data["year"])

    @staticmethod
    def _parsed(parse: Any, value: Any) -> Any:
        try:
            return parse(str(value))
        except CellError as error:
            raise ValidationError(f"El valor {error}.") from None


@admin.register(Vehicle)
class VehicleAdmin(CatalogImportViews, FilteredExportMixin, ImportExportModelAdmin):
    resource_classes = [VehicleResource]
    formats = EXPORT_FORMATS
    form = VehicleForm
    list_display = ["stock_id", "make", "model", "year", "version", "mileage", "price_pesos", "body_type", "status"]
    list_display_links = ["stock_id", "make"]
    list_editable = ["status"]
    list_filter = [
        ("make", admin.AllValuesFieldListFilter),
        "body_type",
        ("year", admin.AllValuesFieldListFilter),
        PriceRangeFilter,
        "status",
    ]
    search_fields = ["stock_id", "make", "model", "version"]
    search_help_text = "Busca por stock ID, marca, modelo o versión."
    list_per_page = 50
    readonly_fields = ["photo_link", "created_at", "updated_at"]
    fieldsets = [
        (None, {"fields": ["stock_id", ("make", "model", "year"), "version", "status"]}),
        ("Precio y uso", {"fields": ["price", "km"]}),
        ("Equipo", {"fields": ["body_type", "transmission", ("bluetooth", "car_play")]}),
        ("Medidas", {"fields": [("length_mm", "width_mm", "height_mm")]}),
        ("Foto", {"fields": ["photo_url", "photo_link"]}),
        ("Registro", {"fields": ["created_at", "updated_at"], "classes": ["collapse"]}),
    ]
    actions = ["mark_available", "mark_reserved", "mark_sold"]

    @admin.display(description="kilometraje", ordering="km")
    def mileage(self, vehicle: Vehicle) -> str:
        return f"{thousands(vehicle.km)} km"

    @admin.display(description="precio", ordering="price")
    def price_pesos(self, vehicle: Vehicle) -> str:
        return pesos(vehicle.price)

    @admin.display(description="vista de la foto")
    def photo_link(self, vehicle: Vehicle) -> str:
        if not vehicle.photo_url:
            return "—"
        link = '<a href="{}" target="_blank" rel="noopener noreferrer">Abrir la foto</a>'
        return format_html(link, vehicle.photo_url)

    def has_import_permission(self, request: HttpRequest) -> bool:
        return self.has_add_permission(request) and self.has_change_permission(request)

    def has_export_permission(self, request: HttpRequest) -> bool:
        return self.has_view_permission(request)

    def _set_status(self, request: HttpRequest, queryset: QuerySet[Vehicle], status: Availability) -> None:
        count = vehicles_set_status(queryset, status)
        self.message_user(request, f"{count} vehículos marcados como «{status.label}».", messages.SUCCESS)

    @admin.action(description="Marcar como disponibles", permissions=["change"])
    def mark_available(self, request: HttpRequest, queryset: QuerySet[Vehicle]) -> None:
        self._set_status(request, queryset, Availability.AVAILABLE)

    @admin.action(description="Marcar como apartados", permissions=["change"])
    def mark_reserved(self, request: HttpRequest, queryset: QuerySet[Vehicle]) -> None:
        self._set_status(request, queryset, Availability.RESERVED)

    @admin.action(description="Marcar como vendidos", permissions=["change"])
    def mark_sold(self, request: HttpRequest, queryset: QuerySet[Vehicle]) -> None:
        self._set_status(request, queryset, Availability.SOLD)
