"""Train the intent models now and save them to NLU_MODEL_DIR (the Docker image does this at build time)."""

from typing import Any

from django.core.management.base import BaseCommand

from nlu import config, pipeline


class Command(BaseCommand):
    help = "Entrena los modelos de intención con los ejemplos y los guarda en NLU_MODEL_DIR."

    def handle(self, *args: Any, **options: Any) -> None:
        pipeline.warm_up()
        examples = pipeline.shipped_examples()
        for kind in config.kinds():
            where = pipeline.save_model(kind) or "memoria (NLU_MODEL_DIR vacío)"
            self.stdout.write(f"{kind}: {len(examples.examples)} ejemplos → {where}")
