import os
from pathlib import Path

import pytest

from nlu import dictionary, thesaurus

# Where kvky_site.settings looks for it too: nlu's tests configure it themselves, without Django.
THESAURUS_FILE = Path(os.environ.get("THESAURUS_PATH", "/usr/share/mythes/th_es_ES_v2.dat"))
DICTIONARY_PATH = os.environ.get("SPANISH_DICTIONARY_PATH", "/usr/share/hunspell/es_MX")


@pytest.fixture(autouse=True, scope="session")
def _thesaurus_configured() -> None:
    thesaurus.configure(THESAURUS_FILE)
    dictionary.configure(DICTIONARY_PATH)
