import os
from pathlib import Path

import pytest

from nlu import thesaurus

# Where kvky_site.settings looks for it too: nlu's tests configure it themselves, without Django.
THESAURUS_FILE = Path(os.environ.get("THESAURUS_PATH", "/usr/share/mythes/th_es_ES_v2.dat"))


@pytest.fixture(autouse=True, scope="session")
def _thesaurus_configured() -> None:
    thesaurus.configure(THESAURUS_FILE)
