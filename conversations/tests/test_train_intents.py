import io

import pytest
from django.core.management import call_command

from nlu import pipeline


@pytest.fixture
def model_dir(tmp_path):
    pipeline.configure(model_dir=tmp_path)
    yield tmp_path
    pipeline.configure(model_dir=None)


def test_it_saves_a_model_per_assistant_kind(model_dir):
    out = io.StringIO()
    call_command("train_intents", stdout=out)
    assert sorted(path.name.split("-")[1] for path in model_dir.glob("intents-*.npz")) == ["onboarding", "sales"]
    assert str(model_dir) in out.getvalue()
