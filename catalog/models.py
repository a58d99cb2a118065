from decimal import Decimal

from django.core.validators import MinValueValidator
from django.db import models
from django.db.models.functions import Lower

from catalog.transmissions import AUTOMATIC, MANUAL, transmission_of


class BodyType(models.TextChoices):
    SEDAN = "sedan", "Sedán"
    HATCHBACK = "hatchback", "Hatchback"
    SUV = "suv", "SUV / camioneta"
    PICKUP = "pickup", "Pickup"
    MINIVAN = "minivan", "Minivan"
    COUPE = "coupe", "Coupé"


class Transmission(models.TextChoices):
    AUTOMATIC = AUTOMATIC, "Automática"
    MANUAL = MANUAL, "Estándar (manual)"


class Availability(models.TextChoices):
    AVAILABLE = "available", "Disponible"
    RESERVED = "reserved", "Apartado"
    SOLD = "sold", "Vendido"


class Vehicle(models.Model):
    stock_id = models.CharField("stock ID", max_length=32, unique=True)
    make = models.CharField("marca", max_length=60)
    model = models.CharField("modelo", max_length=80)
    year = models.PositiveSmallIntegerField("año")
    version = models.CharField("versión", max_length=160, blank=True)
    km = models.PositiveIntegerField("kilometraje", default=0)
    price = models.DecimalField(
        "precio", max_digits=12, decimal_places=2, validators=[MinValueValidator(Decimal("1"))]
    )
    body_type = models.CharField("carrocería", max_length=12, choices=BodyType.choices, blank=True)
    bluetooth = models.BooleanField(default=False)
    car_play = models.BooleanField("CarPlay", default=False)
    transmission = models.CharField(
        "transmisión",
        max_length=10,
        choices=Transmission.choices,
        blank=True,
        help_text="Vacío: se lee de la versión (TA, CVT, A… automática; MT, STD… estándar).",
    )
    length_mm = models.PositiveIntegerField("largo (mm)", null=True, blank=True)
    width_mm = models.PositiveIntegerField("ancho (mm)", null=True, blank=True)
    height_mm = models.PositiveIntegerField("altura (mm)", null=True, blank=True)
    photo_url = models.URLField("foto", blank=True)
    status = models.CharField(
        "disponibilidad", max_length=10, choices=Availability.choices, default=Availability.AVAILABLE
    )
    created_at = models.DateTimeField("creado", auto_now_add=True)
    updated_at = models.DateTimeField("actualizado", auto_now=True)

    class Meta:
        verbose_name = "vehículo"
        verbose_name_plural = "vehículos"
        ordering = ["price", "stock_id"]
        indexes = [
            # Search (catalog.selectors): pages come in price order straight off an index, and counting the
            # matches reads only the index (the filtered columns ride along) — see bench/search.py.
            models.Index(
                fields=["status", "price", "stock_id", "year", "km", "bluetooth", "car_play"],
                name="vehicle_search_by_price",
            ),
            # Make, model and body type match case-insensitively, on their lower-cased values.
            models.Index(Lower("make"), Lower("model"), "status", "year", "price", name="vehicle_search_make_model"),
            models.Index(Lower("body_type"), "status", "price", "year", name="vehicle_search_body_type"),
            models.Index(fields=["year"], name="vehicle_year"),
            models.Index(fields=["km"], name="vehicle_km"),
        ]
        constraints = [
            models.CheckConstraint(condition=models.Q(price__gt=0), name="vehicle_price_positive"),
            models.CheckConstraint(
                condition=models.Q(year__gte=1950, year__lte=2100), name="vehicle_year_sane"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.make} {self.model} {self.year} ({self.stock_id})"

    def save(self, *args, **kwargs) -> None:
        if not self.transmission:
            self.transmission = transmission_of(self.version)
        super().save(*args, **kwargs)
