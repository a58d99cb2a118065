from decimal import Decimal

import factory

from catalog.models import Vehicle


class VehicleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Vehicle

    stock_id = factory.Sequence(lambda n: f"{100000 + n}")
    make = "Chevrolet"
    model = "Onix"
    year = 2021
    version = "1.0 LS A"
    km = 28430
    price = Decimal("226999")
    body_type = "sedan"
    bluetooth = True
    car_play = False
