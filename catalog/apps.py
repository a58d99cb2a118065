from django.apps import AppConfig


class CatalogConfig(AppConfig):
    name = "catalog"
    verbose_name = "Catálogo"

    def ready(self) -> None:
        from catalog import signals  # noqa: F401  (drops the cached vocabulary on writes)
