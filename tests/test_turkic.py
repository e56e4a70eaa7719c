"""Uzbek and Kazakh: one key for a word in every script, its case forms, dates and the language."""
from __future__ import annotations

import datetime as dt

import pytest

from kurultai.nlp.dates import find_dates, resolve
from kurultai.nlp.lang import detect_language
from kurultai.nlp.morph import Morph
from kurultai.nlp.turkic import is_surname, person_spans, skeleton, surname_base, tokenize


@pytest.fixture(scope="module")
def keys():
    base = Morph()
    return {lang: base.for_lang(lang).key for lang in ("uz", "kk")}


@pytest.mark.parametrize("lang, forms", [
    # the same word in Latin with each apostrophe, in Cyrillic, and with case endings
    ("uz", ["O‘zbekiston", "O'zbekiston", "Oʻzbekiston", "O’zbekistonning", "Ўзбекистонга", "O`zbekistondan"]),
    ("uz", ["instituti", "institutining", "институтига", "institutida"]),
    ("uz", ["hamkorlik", "hamkorlikni", "ҳамкорликда", "hamkorlikning"]),
    ("uz", ["o‘tkazildi", "o‘tkazdi", "ўтказилди"]),
    # Kazakh Cyrillic, 2018 Latin (accents), 2021 Latin; a Cyrillic letter inside a Latin word
    ("kk", ["Қазақстан", "Қазақстанның", "Qazaqstan", "Qazaqstandа", "Қазақстанда"]),
    ("kk", ["қауіпсіздік", "qaýipsizdik", "qauıpsızdık", "қауіпсіздігі", "қауіпсіздікті"]),
    ("kk", ["министрлік", "министрлігі", "ministrligi"]),
    ("kk", ["Өзбекстан", "Өзбекстанға", "Özbekstan", "О́zbekstan"]),
])
def test_one_key_for_every_script_and_case(keys, lang, forms):
    assert len({keys[lang](f) for f in forms}) == 1, {f: keys[lang](f) for f in forms}


def test_different_words_keep_different_keys(keys):
    uz = keys["uz"]
    assert uz("uchrashuv") != uz("universitet")
    assert keys["kk"]("кездесу") != keys["kk"]("конференция")


def test_abbreviations_are_kept_as_written(keys):
    assert keys["uz"]("MOXI") == "MOXI"
    assert keys["kk"]("ҰҚШҰ") == "ҰҚШҰ"


def test_tokens_keep_apostrophes_inside_words():
    words = [t.text for t in tokenize("O‘zbekiston va Qirg‘iziston ta’kidladi, S.Valiev «Turk»")]
    assert words == ["O‘zbekiston", "va", "Qirg‘iziston", "ta’kidladi", ",", "S.", "Valiev", "«", "Turk", "»"]


def test_skeleton_meets_across_scripts():
    assert skeleton("Тошкент", "uz") == skeleton("Toshkent", "uz") == "toshkent"
    assert skeleton("Европа", "uz") == skeleton("Yevropa", "uz")
    assert skeleton("жаңа", "kk") == skeleton("jańa", "kk") == skeleton("jaña", "kk")


@pytest.mark.parametrize("word, base", [
    ("Vahobovning", "Vahobov"), ("Тоқаевтың", "Тоқаев"), ("Usmonzodaga", "Usmonzoda"), ("Karimova", "Karimova"),
])
def test_surnames_lose_their_case_endings(word, base):
    assert surname_base(word, "uz") == base


def test_person_names_by_the_regions_surname_patterns():
    toks = tokenize("MOXI direktori Javlon Vahobov va S.Valiev hamda Nodir Akmal o‘g‘li so‘zga chiqdi. Markaziy Osiyo")
    names = [" ".join(t.text for t in toks[f:l]) for f, l in person_spans(toks, "uz")]
    assert names == ["Javlon Vahobov", "S. Valiev", "Nodir Akmal o‘g‘li"]
    assert not is_surname("Markaziy") and is_surname("Ерболатов")


@pytest.mark.parametrize("text, lang, ref, value", [
    ("2023-yil 5-mayda davra suhbati bo‘lib o‘tdi", "uz", None, "2023-05-05"),
    ("Joriy yilning 12-mart kuni uchrashuv", "uz", dt.date(2026, 3, 14), "2026-03-12"),
    ("Шу йилнинг 3 октябрида анжуман", "uz", dt.date(2019, 10, 5), "2019-10-03"),
    ("2023 жылғы 5 мамырда дөңгелек үстел өтті", "kk", None, "2023-05-05"),
    ("18 тамызда конференция өтті", "kk", dt.date(2022, 8, 20), "2022-08-18"),
    ("наурыздың 12-і күні", "kk", dt.date(2024, 3, 13), "2024-03-12"),
    ("2021 jyldyń 16 qyrkúıeginde", "kk", None, "2021-09-16"),
    ("kecha Toshkentda", "uz", dt.date(2024, 6, 5), "2024-06-04"),
    ("бүгін Астанада", "kk", dt.date(2024, 6, 5), "2024-06-05"),
])
def test_uzbek_and_kazakh_dates(text, lang, ref, value):
    d = find_dates(text, lang)[0]
    assert resolve(d, ref) == value


@pytest.mark.parametrize("text, lang", [
    ("Toshkentda Markaziy Osiyo xalqaro instituti tomonidan davra suhbati bo‘lib o‘tdi va ekspertlar "
     "hamkorlik masalalarini muhokama qildi.", "uz"),
    ("Тошкентда Марказий Осиё халқаро институти томонидан давра суҳбати бўлиб ўтди ва экспертлар "
     "ҳамкорлик масалаларини муҳокама қилди.", "uz"),
    ("Астанада Қазақстан стратегиялық зерттеулер институты ұйымдастырған дөңгелек үстел өтті және "
     "сарапшылар ынтымақтастық туралы пікір алмасты.", "kk"),
    ("Astanada Qazaqstan strategııalyq zertteýler ınstıtýty uıymdastyrǵan dóńgelek ústel ótti jáne "
     "sarapshylar yntymaqtastyq týraly pikir almasty.", "kk"),
    ("Nókiste Qaraqalpaqstan jaslarınıń forumı bolıp ótti hám qatnasıwshılar ushın jańa imkaniyatlar "
     "haqqında pikir almasıldı menen.", "kaa"),
    ("В Ташкенте прошёл круглый стол, и эксперты обсудили сотрудничество.", "ru"),
])
def test_language_in_every_script(text, lang):
    assert detect_language(text) == lang


def _orgs(text, lang):
    from kurultai.nlp.turkic import org_spans
    base = Morph().for_lang(lang)
    toks = tokenize(text)
    people = {i for f, l in person_spans(toks, lang) for i in range(f, l)}
    lowercase = {base.key(t.text) for t in toks if t.text[:1].islower()}
    return [text[toks[f].start:toks[l - 1].stop] for f, l in org_spans(toks, lang, people, {0}, lowercase, base.key)]


@pytest.mark.parametrize("text, lang, names", [
    # the head noun ends the name; lower-case words and «huzuridagi» stay inside, a person does not
    ("Direktor Javlon Vahobov Tojikiston Respublikasi Prezidenti huzuridagi Strategik tadqiqotlar markazi "
     "vakillari bilan uchrashdi.", "uz", ["Tojikiston Respublikasi Prezidenti huzuridagi Strategik tadqiqotlar markazi"]),
    # a word in an oblique case is outside the name; a quoted name is inside it
    ("Forumda «Білім керуені» ғылыми мекемесінің өкілдері сөз сөйледі.", "kk", ["«Білім керуені» ғылыми мекемесінің"]),
    # two names joined by «және»; a head before a capitalised word is an adjective («Орталық Азия»)
    ("Еуразия ұлттық университеті және Орталық Азия зерттеулер орталығы бірлесіп өткізді.", "kk",
     ["Еуразия ұлттық университеті", "Орталық Азия зерттеулер орталығы"]),
    # a date before a name is outside it, in either script
    ("Joriy yilning 5-aprel kuni Qishloq xo‘jaligi instituti mezbonlik qildi.", "uz", ["Qishloq xo‘jaligi instituti"]),
    ("Биылғы 3-мамыр күні Ұлттық экономика институты семинар өткізді.", "kk", ["Ұлттық экономика институты"]),
    # a plural head names a kind of body
    ("O‘zbekistonning yetakchi ilmiy-tadqiqot institutlari ishtirok etdi.", "uz", []),
])
def test_institution_names_end_in_their_head_noun(text, lang, names):
    assert _orgs(text, lang) == names


@pytest.mark.parametrize("lang, words, forms", [
    # «отыр» (a verb of «болып отыр») inside «отырыс» (a session): the session's forms keep its key
    ("kk", ["отыр", "отырыс"], ["отырыс", "отырысы", "отырысында", "отырыстың"]),
    # a name's inflected head in the lexicon beside the bare word: the bare word's key
    ("kk", ["университет", "университеті"], ["университет", "университеті", "университетінің"]),
    ("uz", ["kengash", "kengashi"], ["kengash", "kengashi", "kengashining"]),
])
def test_a_word_of_the_lexicon_is_keyed_as_itself_not_as_a_shorter_word_inside_it(lang, words, forms):
    key = Morph().for_lang(lang)
    key.learn(words)
    assert len({key.key(f) for f in forms}) == 1, {f: key.key(f) for f in forms}
