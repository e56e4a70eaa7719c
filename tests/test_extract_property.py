"""The extractor never raises on any text, and every span it reports reproduces its text."""
from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kurultai.read import Text

WORDS = ["круглый", "стол", "состоялся", "18", "августа", "2024", "года", "в", "Астане", "ИМЭП", "КИСИ",
         "«", "»", "(", ")", "-", "—", ",", ".", "\n", "\n\n", "\r\n", "  ", "\u00a0", "при", "Президенте",
         "Республики", "Казахстан", "эксперт", "Мурад", "Узаков", "отметил", "угрозы", "изменение", "климата",
         "участники", "договорились", "вчера", "on", "Thursday", "the", "Institute", "for", "Strategic",
         "Studies", "hosted", "webinar", "said", "Б.Каримов", "K.", "Saidov", "т.г.", "C5+1", "ШОС", "😀",
         "שלום", "\t", "транспортно-", "логистический", "Организаторами", "выступили", "на", "тему"]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.sampled_from(WORDS), min_size=0, max_size=80).map(" ".join)
       | st.text(max_size=300))
def test_never_raises_and_spans_reproduce(extractor, raw):
    record = extractor.extract(Text(raw, "fuzz.txt", {}))
    spans = [m for o in record["organizations"] for m in o["mentions"]]
    spans += [m for p in record["persons"] for m in p["mentions"]]
    spans += [e for ev in record["events"] for e in ev["evidence"]] + [o for ev in record["events"] for o in ev["outcomes"]]
    for m in spans:
        assert 0 <= m["start"] <= m["end"] <= len(raw)
        assert raw[m["start"]:m["end"]] == m["text"]
