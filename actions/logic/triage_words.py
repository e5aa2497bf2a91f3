"""Word sets built from "~verb" shorthand, and the words that judge a mention bad or fine."""

from __future__ import annotations

_IRREGULAR = {
    "sit": "sat", "stand": "stood", "hold": "held", "fall": "fell fallen", "write": "wrote written",
    "draw": "drew drawn", "feed": "fed", "eat": "ate eaten", "run": "ran", "get": "got gotten",
    "sleep": "slept", "say": "said", "take": "took taken", "fight": "fought", "speak": "spoke",
    "hear": "heard", "ride": "rode ridden", "keep": "kept", "wake": "woke woken", "tie": "tying",
    "lie": "lying", "think": "thought", "begin": "began begun", "catch": "caught",
    "throw": "threw thrown", "do": "did done does",
    "have": "has had", "be": "is am are was were been being 's 'm 're", "can": "ca could",
    "will": "wo would", "go": "went gone goes", "bear": "born borne",
}  # fmt: skip


def inflections(base: str) -> set[str]:
    """A verb or noun with its common inflections; over-generating is harmless here."""
    forms = {base, base + "s", base + "ed", base + "ing", *_IRREGULAR.get(base, "").split()}
    if base.endswith(("s", "x", "z", "ch", "sh")):
        forms.add(base + "es")
    if base.endswith("e") and not base.endswith("ee"):
        forms |= {base[:-1] + "ing", base + "d"}
    if base.endswith("y") and base[-2:-1] not in tuple("aeiou"):
        forms |= {base[:-1] + "ies", base[:-1] + "ied"}
    vowels = "aeiou"
    if (
        len(base) >= 3
        and base[-1] in "bdgklmnprt"
        and base[-2] in vowels
        and base[-3] not in vowels
    ):
        forms |= {base + base[-1] + "ing", base + base[-1] + "ed"}
    return forms


def word_set(*specs: str) -> frozenset[str]:
    """Lower-case word set from "~verb" (inflected) and plain entries."""
    out: set[str] = set()
    for spec in specs:
        for word in spec.split():
            out |= inflections(word[1:]) if word.startswith("~") else {word}
    return frozenset(out)


# Words that make a mention a concern ("hates tummy time", "trouble with buttons") ...
BAD = word_set(
    "~trouble ~struggle difficult difficulty difficulties hard harder tough tricky challenging",
    "~challenge ~battle nightmare impossible ~problem ~issue ~worry worried ~concern concerned",
    "~delay behind late later slow slowly slower poor poorly bad badly awkward awkwardly funny",
    "funky weird strange odd off wrong abnormal unusual weak clumsy wobbly unsteady messy sloppy",
    "illegible limited worse unable ~refuse ~hate ~dislike ~avoid ~resist ~fight ~scream ~cry",
    "~shriek ~yell upset ~upset meltdown meltdowns tantrum tantrums ~freak ~panic scared afraid",
    "terrified ~fear frightened anxious ~gag ~bother sensitive overwhelmed ~overwhelm frustrated",
    "frustrating frustration ~fuss fussy ~help ~work ~practice stuck ~hurt painful ~lag only few",
    "rarely seldom crazy nuts ~mind fist fisted terrible horrible awful ~lose tired ~tire",
    "shaky jerky wonky sore achy aching worn exhausted exhausting",
)
# ... and words that say it is fine ("walks fine", "loves the bath", "no problem").
GOOD = word_set(
    "fine okay ok great good well perfectly perfect normal normally nicely beautifully easily",
    "ease ~love ~like ~enjoy ~tolerate ~handle independently independent alone unsupported",
    "unassisted strong steady solid awesome amazing excellent brilliant fantastic gone resolved",
    "outgrew ~outgrow ruled typical typically advanced ahead confidently confident happily",
    "beautiful lovely neat neatly wonderful wonderfully",
)
