"""The learned organisation/person tagger: its weights ship with the package and it tags Russian news."""
from __future__ import annotations

import pytest

from kurultai.nlp.analyse import Analyser
from kurultai.nlp.tagger import Tagger, decode

TEXT = ("Заместитель министра иностранных дел Республики Казахстан Алибек Бакаев выступил на заседании "
        "Совета министров иностранных дел СНГ в Ашхабаде. По его словам, прокуратура уже начала проверку.")


@pytest.fixture(scope="module")
def analysis():
    return Analyser().analyse(TEXT, "ru")


def spans(a, typ):
    return {a.text[e.start:e.stop] for e in a.entities if e.type == typ}


def test_weights_ship_with_the_package():
    assert Tagger.available()


def test_decode_bio():
    assert decode(["O", "B-ORG", "I-ORG", "B-PER", "I-PER", "O", "I-ORG"]) == \
        [(1, 3, "ORG"), (3, 5, "PER"), (6, 7, "ORG")]


def test_person_and_organisations(analysis):
    assert "Алибек Бакаев" in spans(analysis, "PER")
    orgs = spans(analysis, "ORG")
    # a body named by a phrase, its abbreviation nested, and a lower-case institution
    assert "Совета министров иностранных дел СНГ" in orgs
    assert "СНГ" in orgs
    assert "прокуратура" in orgs


def test_places_stay_natashas(analysis):
    assert "Ашхабаде" in spans(analysis, "LOC")


def test_english_text_is_not_tagged():
    a = Analyser().analyse("The Ministry of Foreign Affairs of Kazakhstan hosted the meeting.", "en")
    assert a.entities == []
