"""Triage from parents' own words, run against the real spaCy model the bot ships with."""

from __future__ import annotations

from pathlib import Path

import pytest
import spacy
from spacy.language import Language

from actions.logic.triage import (
    MAX_EXPLANATION,
    Assessment,
    Finding,
    assess,
    explain,
)

MODEL = Path(__file__).resolve().parents[2] / "build" / "spacy" / "en_core_web_md"


@pytest.fixture(scope="module")
def nlp() -> Language:
    return spacy.load(MODEL)


def labels(assessment: Assessment) -> list[str]:
    return [finding.label for finding in assessment.findings]


# --- which therapy ----------------------------------------------------------------------------

THERAPY_CASES = [
    # PT: moving
    ("my 9 month old isn't crawling and hates tummy time", "pt"),
    ("My 10 month old still isn't sitting up on his own", "pt"),
    ("he's 2 and not walking yet", "pt"),
    ("She started walking at 15 months but falls all the time", "pt"),
    ("he's clumsy and falls a lot", "pt"),
    ("she walks on her toes", "pt"),
    ("his muscles are stiff and he favours his left side", "pt"),
    ("she is floppy and has low tone", "pt"),
    ("he was born 8 weeks early", "pt"),
    ("she tilts her head and has a flat spot", "pt"),
    ("my son has torticollis", "pt"),
    ("she has a hard time with balance and coordination", "pt"),
    ("my son can't ride a bike or jump with both feet", "pt"),
    ("She's not holding her head up yet at 4 months", "pt"),
    ("she was born with clubfoot", "pt"),
    ("she's 5 months and her head still wobbles when I hold her upright", "pt"),
    ("she's 13 months and won't bear weight on her legs", "pt"),
    ("my 10 week old keeps her head turned to the right all the time", "pt"),
    # OT: doing
    ("she can't hold a crayon and screams when her hands get messy", "ot"),
    ("he struggles with handwriting and using scissors", "ot"),
    ("she can't do buttons or zips and hates getting dressed", "ot"),
    ("brushing teeth is a nightmare", "ot"),
    ("he covers his ears at loud noises", "ot"),
    ("she has meltdowns over everything", "ot"),
    ("he can't focus on tasks and can't sit still", "ot"),
    ("he's a picky eater and gags on textures", "ot"),
    ("she has trouble with feeding", "ot"),
    ("She screams in the bath", "ot"),
    ("he won't wear anything with tags", "ot"),
    # both: a mix, or a condition the guides say often needs both
    ("she can't use a spoon and won't crawl", "both"),
    ("he can't walk and can't hold a spoon", "both"),
    ("he has cerebral palsy", "both"),
    ("she was diagnosed with global developmental delay", "both"),
    ("my son has SPD", "both"),
    ("our daughter has Down syndrome", "both"),
    # other: not a PT/OT matter on its own
    ("she isn't talking yet", "other"),
    ("he only says a few words", "other"),
    ("she won't sleep through the night", "other"),
    ("he's a really picky eater", "other"),
    ("I'm worried about his behaviour", "other"),
    # nothing recognised
    ("Hello there", None),
    ("I'd like to book an appointment", None),
    ("how much does it cost", None),
    ("She walks fine and her speech is great", None),
    ("He crawls, stands and cruises along furniture", None),
    ("my daughter loves the bath and crawls everywhere", None),
    ("Can I talk to someone?", None),
    ("let me talk to a real person", None),
    ("walk me through a session", None),
    ("how do I get the ball rolling", None),
    ("money has been really tight since I went on maternity leave", None),
    ("give me a recipe for banana bread", None),
    ("he fell down the stairs yesterday", None),
    ("", None),
]


@pytest.mark.parametrize(("text", "therapy"), THERAPY_CASES)
def test_suggested_therapy(nlp: Language, text: str, therapy: str | None) -> None:
    assert assess(text, nlp).therapy == therapy


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("my 9 month old isn't crawling and hates tummy time", ["crawling", "tummy time"]),
        (
            "she can't hold a crayon and screams when her hands get messy",
            ["holding a crayon", "messy hands"],
        ),
        ("he can't walk and can't hold a spoon", ["walking", "using a spoon"]),
        ("he is sensitive to textures", ["sensory sensitivities", "textures"]),
        ("his hands are weak", ["hand strength"]),
        ("he has a weak pincer grasp", ["pincer grasp"]),
        ("her handwriting is messy", ["handwriting"]),
        ("she cant walk and doesnt crawl", ["walking", "crawling"]),
    ],
)
def test_findings_are_named_in_order_of_mention(
    nlp: Language, text: str, expected: list[str]
) -> None:
    assert labels(assess(text, nlp)) == expected


def test_findings_carry_their_area(nlp: Language) -> None:
    result = assess("he isn't rolling over and he hates tummy time, also he doesn't babble", nlp)
    assert result.findings == (
        Finding("pt", "rolling"),
        Finding("pt", "tummy time"),
        Finding("other", "speech"),
    )
    assert result.therapy == "pt"  # speech alongside motor signs does not hide the PT signs


def test_conditions_are_kept_apart_from_findings(nlp: Language) -> None:
    result = assess("He has Down's syndrome and isn't walking yet", nlp)
    assert result.conditions == ("Down syndrome",)
    assert labels(result) == ["walking"]
    assert result.therapy == "both"


def test_repeated_mentions_are_de_duplicated(nlp: Language) -> None:
    result = assess("She isn't crawling. Honestly the crawling worries me, she won't crawl.", nlp)
    assert labels(result) == ["crawling"]


# --- negation and contrast -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "slot"),
    [
        ("he crawls fine, it's his pincer grasp I worry about", ["ot:pincer grasp"]),
        (
            "No problems with feeding, but she only turns her head one way",
            ["pt:turning the head one way"],
        ),
        ("he walks fine but can't hold a crayon", ["ot:holding a crayon"]),
        ("crawling is okay but she can't walk", ["pt:walking"]),
        ("She doesn't crawl but she walks", ["pt:crawling"]),
        ("he can sit, but can't crawl", ["pt:crawling"]),
        ("she has no trouble sitting or crawling but won't stand", ["pt:standing"]),
        ("her grasp is fine but she can't do buttons", ["ot:buttons and zips"]),
        ("she's fine with noise but hates tummy time", ["pt:tummy time"]),
        ("She's really good at walking but her speech is behind", ["other:speech"]),
        ("she won't sleep and is a picky eater", ["other:sleep", "other:picky eating"]),
        ("she isn't rolling but crawling", ["pt:rolling"]),
        ("I'm worried about her speech, although she crawls", ["other:speech"]),
        ("he won't sit, but stands", ["pt:sitting"]),
    ],
)
def test_contrast_keeps_only_the_worry(nlp: Language, text: str, slot: list[str]) -> None:
    assert assess(text, nlp).to_slot() == slot


@pytest.mark.parametrize(
    ("text", "label"),
    [
        ("she isn't crawling", "crawling"),
        ("isn't rolling", "rolling"),
        ("won't sit", "sitting"),
        ("doesn't walk yet", "walking"),
        ("she can't hold a spoon", "using a spoon"),
        ("my daughter cant roll", "rolling"),
        ("he still doesn't have a pincer grasp at 12 months", "pincer grasp"),
        ("she has no pincer grasp yet", "pincer grasp"),
        ("I don't think she is crawling", "crawling"),
        ("she can't stand up on her own", "standing"),
        ("she doesn't like tummy time", "tummy time"),
        ("he isn't a fan of tummy time", "tummy time"),
        ("she does not enjoy tummy time", "tummy time"),
        ("she can't sit or crawl", "crawling"),
        ("she is not crawlling", "crawling"),
    ],
)
def test_negated_ability_is_the_sign(nlp: Language, text: str, label: str) -> None:
    assert label in labels(assess(text, nlp))


@pytest.mark.parametrize(
    "text",
    [
        "no trouble sitting",
        "I'm not worried about walking",
        "walks fine",
        "she walks fine",
        "he has no problems with balance",
        "He is not clumsy at all",
        "She has never had any meltdowns",
        "he has no sensory issues",
        "he doesn't have torticollis",
        "she isn't stiff",
        "We have no concerns about his walking",
        "she does great with her spoon",
        "She loves tummy time now",
        "She used to have torticollis but it's gone now",
        "He doesn't mind messy hands",
        "loud noises don't bother him",
        "she can sit without support",
    ],
)
def test_negated_difficulty_or_praise_clears_it(nlp: Language, text: str) -> None:
    assert assess(text, nlp) == Assessment()


@pytest.mark.parametrize(
    ("text", "present", "absent"),
    [
        ("he can't stand loud noises", "loud noises", "standing"),
        ("he crawls fine, it's his pincer grasp I worry about", "pincer grasp", "crawling"),
        ("He keeps his head tilted to the right", "head tilt", "head control"),
        ("he is crawlling and hates tummytime", "tummy time", "crawling"),
        ("one leg always sits higher than the other", "favoring one side", "sitting"),
        ("she drops things all the time and her hands seem weak", "hand strength", "weakness"),
        ("his grip is fine it's his walking that's wobbly", "walking", "grasp"),
    ],
)
def test_one_sign_without_the_other(nlp: Language, text: str, present: str, absent: str) -> None:
    found = labels(assess(text, nlp))
    assert present in found
    assert absent not in found


def test_questions_about_an_ability_count_as_a_concern(nlp: Language) -> None:
    assert labels(assess("Should he be walking by now?", nlp)) == ["walking"]
    assert assess("She walks", nlp).therapy is None


def test_hedged_condition_is_still_passed_on(nlp: Language) -> None:
    assert assess("I'm not sure if it's cerebral palsy", nlp).conditions == ("cerebral palsy",)
    assert assess("she doesn't have cerebral palsy", nlp).conditions == ()


@pytest.mark.parametrize(
    ("text", "label"),
    [
        ("she isn't crawlling", "crawling"),
        ("she hates tummytime", "tummy time"),
        ("she hates tummy-time", "tummy time"),
        ("he keeps favouring his left side", "favoring one side"),
        ("she can't colour inside the lines", "drawing and coloring"),
        ("I'm worried about her behaviour", "behavior"),
        ("she screams during nappy changes", "diaper changes"),
        ("he has torticolis", "torticollis"),
        ("she struggles with handwritting", "handwriting"),
    ],
)
def test_spelling_variants_and_typos(nlp: Language, text: str, label: str) -> None:
    assert label in labels(assess(text, nlp))


# --- across turns and through the slot --------------------------------------------------------


def test_concerns_add_up_across_turns(nlp: Language) -> None:
    first = assess("my 9 month old isn't crawling", nlp)
    second = assess("and he also can't use a spoon", nlp)
    merged = first.merge(second)
    assert first.therapy == "pt"
    assert second.therapy == "ot"
    assert merged.therapy == "both"
    assert merged.to_slot() == ["pt:crawling", "ot:using a spoon"]
    text = explain(merged, previous="pt")
    assert text.startswith(
        "Adding using a spoon, which is fine-motor, I'd now suggest both PT and OT"
    )
    assert "crawling" in text


def test_merge_keeps_first_mention_and_conditions() -> None:
    first = Assessment((Finding("pt", "crawling"),), ("cerebral palsy",))
    second = Assessment(
        (Finding("ot", "grasp"), Finding("pt", "crawling")), ("cerebral palsy", "Down syndrome")
    )
    merged = first.merge(second)
    assert merged.findings == (Finding("pt", "crawling"), Finding("ot", "grasp"))
    assert merged.conditions == ("cerebral palsy", "Down syndrome")
    assert Assessment().merge(first) == first


def test_slot_round_trip(nlp: Language) -> None:
    original = assess("He has Down syndrome, can't hold a spoon and isn't walking", nlp)
    slot = original.to_slot()
    assert slot == ["ot:using a spoon", "pt:walking", "condition:Down syndrome"]
    assert Assessment.from_slot(slot) == original
    assert Assessment.from_slot(slot).therapy == "both"


def test_from_slot_tolerates_empty_and_malformed_values() -> None:
    assert Assessment.from_slot(None) == Assessment()
    assert Assessment.from_slot([]) == Assessment()
    rebuilt = Assessment.from_slot(["pt:sitting", "nonsense", "xx:thing", "ot:", "pt:sitting"])
    assert rebuilt == Assessment((Finding("pt", "sitting"),))


@pytest.mark.parametrize(
    ("findings", "conditions", "therapy"),
    [
        ((), (), None),
        ((Finding("other", "speech"),), (), "other"),
        ((Finding("other", "speech"), Finding("pt", "walking")), (), "pt"),
        ((Finding("ot", "grasp"),), (), "ot"),
        ((Finding("ot", "grasp"), Finding("pt", "walking")), (), "both"),
        ((), ("developmental delay",), "both"),
        ((Finding("pt", "walking"),), ("cerebral palsy",), "both"),
    ],
)
def test_therapy_rules(
    findings: tuple[Finding, ...], conditions: tuple[str, ...], therapy: str | None
) -> None:
    assert Assessment(findings, conditions).therapy == therapy


# --- explanations ----------------------------------------------------------------------------


def check_style(text: str) -> None:
    assert 0 < len(text) <= MAX_EXPLANATION
    assert text.isascii()
    lowered = text.lower()
    assert "your child has" not in lowered
    assert "diagnos" not in lowered


def test_pt_explanation_names_what_was_noticed(nlp: Language) -> None:
    text = explain(assess("my 9 month old isn't crawling and hates tummy time", nlp))
    check_style(text)
    assert text.startswith(
        "Crawling and tummy time are gross-motor skills - the moving part of life, "
        "which is what physical therapy works on."
    )
    assert "PT may help" in text


def test_ot_explanation(nlp: Language) -> None:
    text = explain(assess("she can't hold a crayon and screams when her hands get messy", nlp))
    check_style(text)
    assert "holding a crayon" in text.lower()
    assert "messy hands" in text
    assert "occupational therapy" in text
    assert "OT may help" in text


def test_both_explanation_for_a_mix(nlp: Language) -> None:
    text = explain(assess("she can't use a spoon and won't crawl", nlp))
    check_style(text)
    assert "PT" in text and "OT" in text
    assert "using a spoon" in text and "rawling" in text


def test_both_explanation_for_a_condition(nlp: Language) -> None:
    text = explain(assess("he has cerebral palsy", nlp))
    check_style(text)
    assert "cerebral palsy" in text
    assert "both" in text


@pytest.mark.parametrize(
    ("text", "pointer"),
    [
        ("she isn't talking yet", "speech-language therapist"),
        ("she won't sleep through the night", "pediatrician"),
        ("he's a really picky eater", "pediatrician"),
    ],
)
def test_other_gives_a_kind_pointer_without_a_therapy_push(
    nlp: Language, text: str, pointer: str
) -> None:
    reply = explain(assess(text, nlp))
    check_style(reply)
    assert pointer in reply
    assert "may help" not in reply


def test_nothing_recognised_asks_for_more() -> None:
    reply = explain(Assessment())
    check_style(reply)
    assert reply.endswith("?")


def test_long_lists_stay_within_the_limit(nlp: Language) -> None:
    story = (
        "she can't hold a crayon, can't use scissors, hates buttons, screams at loud noises, "
        "hates tags, has meltdowns, can't focus, won't brush her teeth, and she can't walk or "
        "crawl or sit or stand or jump, and she doesn't talk and won't sleep"
    )
    result = assess(story, nlp)
    assert result.therapy == "both"
    for previous in (None, "pt", "ot", "other"):
        check_style(explain(result, previous=previous))  # type: ignore[arg-type]


def test_explanation_says_what_changed() -> None:
    before = Assessment((Finding("other", "speech"),))
    after = before.merge(Assessment((Finding("pt", "low muscle tone"),)))
    text = explain(after, previous="other")
    check_style(text)
    assert text.startswith("Adding low muscle tone, which is about movement, I'd now suggest PT.")
    unchanged = explain(after, previous="pt")
    assert not unchanged.startswith("Adding")
    switched = explain(Assessment((Finding("ot", "using a spoon"),)), previous="pt")
    assert switched.startswith("Based on what you've told me, I'd now suggest OT.")


def test_condition_added_later_changes_the_suggestion() -> None:
    merged = Assessment((Finding("pt", "crawling"),)).merge(Assessment((), ("cerebral palsy",)))
    text = explain(merged, previous="pt")
    check_style(text)
    assert text.startswith("Adding cerebral palsy")
    assert "both PT and OT" in text


def test_explain_handles_labels_it_does_not_know() -> None:
    text = explain(Assessment.from_slot(["ot:something new"]))
    check_style(text)
    assert "Something new" in text


def test_explain_copes_with_a_label_in_an_unexpected_area() -> None:
    text = explain(Assessment.from_slot(["ot:speech", "pt:crawling"]))
    check_style(text)
    assert "both" in text


def test_odd_input_does_not_break_assess(nlp: Language) -> None:
    assert labels(assess("she can't crawl 😢 !!!", nlp)) == ["crawling"]
    assert assess("   \n ", nlp) == Assessment()
    assert assess("12345 ??? ...", nlp).therapy is None


# --- the reply always says who decides ---------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "my 9 month old isn't crawling and hates tummy time",
        "she can't hold a crayon and screams when her hands get messy",
        "she can't use a spoon and won't crawl",
        "he has cerebral palsy",
    ],
)
def test_pt_or_ot_reply_says_a_therapist_decides_at_a_free_consultation(
    nlp: Language, text: str
) -> None:
    for previous in (None, "pt", "ot", "other"):
        reply = explain(assess(text, nlp), previous=previous)  # type: ignore[arg-type]
        check_style(reply)
        assert reply.endswith(
            "A licensed therapist decides after an assessment, and a free consultation is how "
            "to find out."
        )
        lowered = reply.lower()
        assert not any(word in lowered for word in ("definitely", "guarantee", "cure"))


def test_long_lists_keep_the_closing_sentence(nlp: Language) -> None:
    story = (
        "she can't hold a crayon, can't use scissors, hates buttons, screams at loud noises, "
        "hates tags, has meltdowns, can't focus, won't brush her teeth, and she can't walk or "
        "crawl or sit or stand or jump, and she doesn't talk and won't sleep"
    )
    for previous in (None, "pt", "ot", "other"):
        reply = explain(assess(story, nlp), previous=previous)  # type: ignore[arg-type]
        check_style(reply)
        assert "licensed therapist decides" in reply


def test_other_and_unknown_replies_do_not_push_a_consultation(nlp: Language) -> None:
    for reply in (explain(assess("she isn't talking yet", nlp)), explain(Assessment())):
        assert "consultation" not in reply


# --- vector similarity when the patterns miss ---------------------------------------------------


def pattern_mentions(text: str, nlp: Language) -> list[object]:
    from actions.logic.triage_mentions import find_mentions
    from actions.logic.triage_text import normalize

    return find_mentions(nlp(normalize(text, nlp.vocab)), nlp)


@pytest.mark.parametrize(
    ("text", "slot"),
    [
        ("she can't kick a football", ["pt:ball skills"]),
        ("she can't do a forward roll", ["pt:rolling"]),
        ("he can't use a pen", ["ot:pencil grip"]),
        ("he can't do up his jacket", ["ot:getting dressed"]),
        ("he can't pull his trousers up", ["ot:getting dressed"]),
        ("he has trouble with his shirt", ["ot:getting dressed"]),
    ],
)
def test_similar_words_catch_what_the_patterns_miss(
    nlp: Language, text: str, slot: list[str]
) -> None:
    assert pattern_mentions(text, nlp) == []
    assert assess(text, nlp).to_slot() == slot


@pytest.mark.parametrize(
    "text",
    [
        "he has no trouble with his jacket",
        "he doesn't struggle with his jacket",
        "she kicks a football really well",
        "he uses a pen fine",
    ],
)
def test_similar_words_keep_negation_and_praise(nlp: Language, text: str) -> None:
    assert pattern_mentions(text, nlp) == []
    assert assess(text, nlp) == Assessment()


def test_patterns_win_over_similar_words(nlp: Language) -> None:
    # "stairs" and "zips" are pattern words, so these never reach the vectors
    assert assess("she can't manage the stairs", nlp).to_slot() == ["pt:climbing stairs"]
    assert assess("he struggles with zips on his coat", nlp).to_slot() == ["ot:buttons and zips"]


def test_similar_words_never_name_a_condition(nlp: Language) -> None:
    from actions.logic.triage_signs import SIGNS
    from actions.logic.triage_similar import score_tokens

    doc = nlp("he can't cope, the palsy and the delays are hard")
    assert all(sign in SIGNS and sign.area != "condition" for *_, sign in score_tokens(doc, nlp))


# --- the sign file ------------------------------------------------------------------------------


def test_sign_file_loads_every_area_and_condition() -> None:
    from actions.logic.triage_signs import LABELS, SIGNS, load_signs

    assert load_signs() is SIGNS
    assert {sign.area for sign in SIGNS} == {"pt", "ot", "other", "condition"}
    assert {s.label for s in SIGNS if s.area == "condition"} == {
        "cerebral palsy",
        "developmental delay",
        "sensory processing disorder",
        "Down syndrome",
    }
    assert LABELS["crawling"].area == "pt"


def test_every_pt_and_ot_group_has_wording() -> None:
    from actions.logic.triage_explain import _GROUPS
    from actions.logic.triage_signs import GROUPS, SIGNS

    assert set(GROUPS) <= set(_GROUPS)
    assert {s.group for s in SIGNS if s.area in ("pt", "ot")} <= set(_GROUPS)


GOOD_ENTRY = {"label": "x", "area": "pt", "kind": "ability", "group": "gross", "patterns": ["~x"]}
REQUIRED = [
    {**GOOD_ENTRY, "label": "hand strength", "area": "ot", "group": "fine"},
    {**GOOD_ENTRY, "label": "weakness", "kind": "problem", "group": "body"},
]


@pytest.mark.parametrize(
    ("entry", "message"),
    [
        ({**GOOD_ENTRY, "label": "hopping", "area": "pe"}, "signs entry 1 ('hopping'): area"),
        ({**GOOD_ENTRY, "label": "hopping", "kind": "skill"}, "('hopping'): kind is 'skill'"),
        ({**GOOD_ENTRY, "label": "hopping", "group": "legs"}, "('hopping'): group is 'legs'"),
        ({**GOOD_ENTRY, "label": "hopping", "patterns": []}, "('hopping'): needs a list"),
        ({**GOOD_ENTRY, "label": "hopping", "patterns": ["~Hop"]}, "cannot read '~Hop'"),
        ({**GOOD_ENTRY, "label": "hopping", "patterns": ["a|POSS"]}, "POSS must stand alone"),
        ({**GOOD_ENTRY, "label": "hopping", "patterns": ["one? leg?"]}, "only optional words"),
        ({**GOOD_ENTRY, "label": "hopping", "pattern": ["hop"]}, "unknown field 'pattern'"),
        ({**GOOD_ENTRY, "label": ""}, "signs entry 1: needs a label"),
        ({**GOOD_ENTRY, "label": "weakness"}, "labelled 'weakness' must share"),
    ],
)
def test_bad_sign_entries_are_named(entry: dict[str, object], message: str) -> None:
    from actions.logic.triage_signs import SignFileError, parse_signs

    with pytest.raises(SignFileError, match=None) as error:
        parse_signs({"signs": [entry, *REQUIRED]})
    assert message in str(error.value)


def test_sign_file_needs_the_labels_the_code_uses() -> None:
    from actions.logic.triage_signs import SignFileError, parse_signs

    with pytest.raises(SignFileError, match="hand strength"):
        parse_signs({"signs": [GOOD_ENTRY]})
    conditions = [{"label": "cp", "patterns": ["cp"]}]
    assert parse_signs({"conditions": conditions, "signs": REQUIRED})[0].area == "condition"
