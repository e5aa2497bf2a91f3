"""Triage on everyday phrasings: non-motor feeding, negated praise, run-on sentences,
the parent's own doing, and the signs the clinic's guides name in plain words.

Each case runs the real spaCy model the bot ships with. None of these sentences is in the
development set (tests/data/triage_dev.yml) or the held-out set (tests/data/triage_cases.yml).
"""

from __future__ import annotations

from pathlib import Path

import pytest
import spacy
from spacy.language import Language

from actions.logic.triage import Assessment, assess, explain

MODEL = Path(__file__).resolve().parents[2] / "build" / "spacy" / "en_core_web_md"


@pytest.fixture(scope="module")
def nlp() -> Language:
    return spacy.load(MODEL)


# --- feeding that is not a motor or sensory matter --------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "she wakes up twice a night for a feed",
        "he drops his night feed soon",
        "she's been off her milk for two days",
        "he's refusing the bottle",
        "the doctor said his weight gain is slow",
        "i'm struggling to balance work and the baby's feeds",
    ],
)
def test_feeds_appetite_and_bottles_point_to_the_pediatrician(nlp: Language, text: str) -> None:
    result = assess(text, nlp)
    assert result.therapy == "other"
    reply = explain(result)
    assert "pediatrician" in reply
    assert "may help" not in reply


@pytest.mark.parametrize(
    "text",
    ["she takes a bottle fine", "he gets hiccups after every bottle", "he skips his nap"],
)
def test_everyday_feeding_and_routine_news_is_no_concern(nlp: Language, text: str) -> None:
    assert assess(text, nlp).therapy is None


@pytest.mark.parametrize(
    ("text", "slot"),
    [
        ("her feeds are fine, she's just not crawling", ["pt:crawling"]),
        ("he's off his food and won't crawl", ["other:feeds and appetite", "pt:crawling"]),
        ("he can't hold his bottle yet", ["ot:self-feeding"]),
    ],
)
def test_feeding_news_does_not_hide_a_motor_sign(nlp: Language, text: str, slot: list[str]) -> None:
    assert assess(text, nlp).to_slot() == slot


# --- praise, negated praise and the parent's own words ----------------------------------------


@pytest.mark.parametrize(
    ("text", "therapy"),
    [
        ("his walking isn't great", "pt"),
        ("she isn't great at jumping", "pt"),
        ("she isn't a good walker", "pt"),
        ("he doesn't have good balance", "pt"),
        ("she's not good with scissors", "ot"),
        ("her writing isn't very neat", "ot"),
        ("he doesn't have a great pencil grip", "ot"),
    ],
)
def test_negated_praise_is_a_concern(nlp: Language, text: str, therapy: str) -> None:
    assert assess(text, nlp).therapy == therapy


@pytest.mark.parametrize(
    "text",
    [
        "his handwriting is lovely",
        "she's a good walker",
        "he has a great pencil grip",
        "she doesn't have any trouble with her pencil grip",
        "he doesn't have any problems walking",
        "I can't balance everything",
        "my hands hurt from carrying him",
        "we love busy places",
        "he wears glasses",
    ],
)
def test_praise_and_the_parents_own_doing_are_no_concern(nlp: Language, text: str) -> None:
    assert assess(text, nlp) == Assessment()


# --- run-on sentences and lists of facts -----------------------------------------------------


@pytest.mark.parametrize(
    ("text", "slot"),
    [
        ("no issues with sleep, he just can't sit up", ["pt:sitting"]),
        ("no probs with his walking but he can't hold a spoon", ["ot:using a spoon"]),
        ("she's 2, climbs everything, but only says a few words", ["other:speech"]),
        ("he is a confident walker but he can't do zips", ["ot:buttons and zips"]),
        ("she's walking, climbing, running, the only worry is her sleep", ["other:sleep"]),
        ("my only worry is her sleep", ["other:sleep"]),
        # a difficulty as the subject of another negated verb is not denied
        (
            "the injury at birth means his right arm doesn't move much",
            ["pt:favoring one side"],
        ),
    ],
)
def test_run_on_sentences_keep_each_thought_apart(
    nlp: Language, text: str, slot: list[str]
) -> None:
    assert assess(text, nlp).to_slot() == slot


@pytest.mark.parametrize(
    ("text", "label"),
    [
        ("she won't let me wash her face", "hair brushing and face washing"),
        ("he won't let us cut his nails", "haircuts and nail trims"),
        ("he won't wear socks", "clothing and tags"),
    ],
)
def test_refusing_through_let_or_wear_is_a_sensory_sign(
    nlp: Language, text: str, label: str
) -> None:
    assert [f.label for f in assess(text, nlp).findings] == [label]


# --- school and growth are not PT/OT matters on their own --------------------------------------


@pytest.mark.parametrize(
    ("text", "label"),
    [
        ("she's falling behind at school", "schoolwork"),
        ("she can't read yet", "schoolwork"),
        ("my 8 week old is putting on weight slowly", "weight gain"),
    ],
)
def test_school_and_growth_stay_other(nlp: Language, text: str, label: str) -> None:
    result = assess(text, nlp)
    assert result.therapy == "other"
    assert [f.label for f in result.findings] == [label]


def test_falling_asleep_is_not_falling(nlp: Language) -> None:
    assert assess("he fell asleep in the car", nlp).therapy is None


# --- signs from the guides in parents' words ---------------------------------------------------


@pytest.mark.parametrize(
    ("text", "label"),
    [
        ("she still has head lag at 4 months", "head control"),
        ("he wobbles when he stands", "balance"),
        ("he can't skip", "jumping"),
        ("she rolls to one side only", "favoring one side"),
        ("she only uses her right hand", "favoring one side"),
        ("she keeps her head to the right", "turning the head one way"),
        ("he doesn't like being on his front", "tummy time"),
        ("he can't push up on his arms", "tummy time"),
        ("she goes up stairs on her bum", "climbing stairs"),
        ("he bum shuffles instead of crawling", "crawling"),
        ("he struggles to get up off the floor", "standing"),
        ("she won't put any weight through her legs", "standing"),
        ("his knees give way when he runs", "loose joints"),
        ("she is hypermobile", "loose joints"),
        ("he gets worn out after a short walk", "walking"),
        ("she gets exhausted climbing the stairs", "climbing stairs"),
        ("he doesn't move his right arm much", "favoring one side"),
        ("he puts both feet on each step going up the stairs", "climbing stairs"),
    ],
)
def test_pt_signs_in_everyday_words(nlp: Language, text: str, label: str) -> None:
    result = assess(text, nlp)
    assert label in [f.label for f in result.findings]
    assert result.therapy == "pt"


@pytest.mark.parametrize(
    ("text", "label"),
    [
        ("she chews her sleeves", "sensory sensitivities"),
        ("he can't copy shapes", "drawing and coloring"),
        ("she grips the crayon in her fist", "pencil grip"),
        ("she gets dysregulated easily", "emotional regulation"),
        ("he can't open his lunchbox", "opening containers"),
        ("she can't pass toys from hand to hand", "using both hands"),
        ("she won't hold toys", "grasp"),
        ("she hates crowds and busy shops", "busy places"),
        ("his hands get tired when he colours", "hand strength"),
        ("she can't sit and focus at school", "sitting still"),
        ("she won't stay seated for a story", "sitting still"),
        ("she won't keep a hat on and screams", "clothing and tags"),
        ("he hates sunscreen", "touch"),
        ("she struggles to thread beads", "beads and pegs"),
        ("he can't build lego", "blocks and puzzles"),
    ],
)
def test_ot_signs_in_everyday_words(nlp: Language, text: str, label: str) -> None:
    result = assess(text, nlp)
    assert label in [f.label for f in result.findings]
    assert result.therapy == "ot"


def test_praised_skills_with_new_signs_stay_clear(nlp: Language) -> None:
    for text in (
        "she holds toys well",
        "she gets up off the floor easily",
        "he chews his food",
        "she kicks both legs",
        "he wears a hat every day",
    ):
        assert assess(text, nlp).therapy is None


# --- the vector fallback ---------------------------------------------------------------------


def test_vector_fallback_skips_the_parents_own_doing(nlp: Language) -> None:
    from actions.logic.triage_similar import similar_mentions

    doc = nlp("I can't balance everything")
    assert similar_mentions(doc, nlp) == []
    assert assess("she can't do a forward roll", nlp).to_slot() == ["pt:rolling"]


def test_judging_words_are_not_vector_anchors(nlp: Language) -> None:
    from actions.logic.triage_similar import _anchors
    from actions.logic.triage_words import BAD, GOOD

    anchors = _anchors(nlp)
    assert not set(anchors.words.tolist()) & (BAD | GOOD)


# --- getting on with others: behaviour, not a motor or sensory sign ----------------------------


@pytest.mark.parametrize(
    "text",
    [
        "my 5 year old won't share her paints with anyone",
        "he refuses to swap stickers with his friends",
        "she snatches the crayons from her brother all the time",
        "he never wants to take turns on the trampoline",
        "my son won't let other kids touch his cars",
        "she gets into big arguments about who gets the remote",
    ],
)
def test_sharing_and_turn_taking_are_not_therapy_signs(nlp: Language, text: str) -> None:
    assert assess(text, nlp).therapy in (None, "other")


@pytest.mark.parametrize(
    ("text", "therapy"),
    [
        ("he won't share his lego and he can't hold a pencil properly", "ot"),
        ("she won't let anyone touch her hands, even to wash them", "ot"),
        ("she hates touching paint or sand", "ot"),
        ("he's fine sharing toys but he still can't walk at 18 months", "pt"),
    ],
)
def test_a_real_sign_beside_a_sharing_story_still_counts(
    nlp: Language, text: str, therapy: str
) -> None:
    assert assess(text, nlp).therapy == therapy
