"""Suggest PT ("moving"), OT ("doing"), both, or neither from a parent's own words.

The sign lists follow the clinic's sources: the PT-vs-OT parent guides (gross motor, balance,
strength for PT; fine motor, self-care, senses, feelings, focus for OT; cerebral palsy,
developmental delay and sensory processing disorder for both) and the infant PT article
(torticollis, flat spots, prematurity, favouring one side, clubfoot and so on).

Parents rarely list symptoms; they tell stories with contrast and negation ("he crawls fine,
it's his grasp I worry about"). So each mention is judged in its sentence's dependency
parse: negating an ability ("isn't crawling") is the sign itself, while negating a
difficulty ("no trouble sitting", "not worried about walking") clears it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal, NamedTuple

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.matcher import Matcher
    from spacy.tokens import Doc, Span, Token
    from spacy.vocab import Vocab

Area = Literal["pt", "ot", "other"]
Therapy = Literal["pt", "ot", "both", "other"]

MAX_EXPLANATION = 400  # keeps a reply to a few SMS segments


@dataclass(frozen=True)
class Finding:
    """One sign the parent described, and the therapy area it points to."""

    area: Area
    label: str


@dataclass(frozen=True)
class Assessment:
    """What was noticed so far; concerns add up across turns through `merge`."""

    findings: tuple[Finding, ...] = ()
    conditions: tuple[str, ...] = ()

    @property
    def therapy(self) -> Therapy | None:
        """The suggestion: named conditions or a PT+OT mix mean both; None if nothing known."""
        areas = {finding.area for finding in self.findings}
        if self.conditions or {"pt", "ot"} <= areas:
            return "both"
        for area in ("pt", "ot", "other"):
            if area in areas:
                return area  # type: ignore[return-value]
        return None

    def labels(self, area: Area) -> list[str]:
        """Labels of the findings in one area, in the order they were mentioned."""
        return [finding.label for finding in self.findings if finding.area == area]

    def merge(self, other: Assessment) -> Assessment:
        """Both turns' concerns together; earlier mentions keep their place."""
        return Assessment(
            _unique_findings((*self.findings, *other.findings)),
            tuple(dict.fromkeys((*self.conditions, *other.conditions))),
        )

    def to_slot(self) -> list[str]:
        """Flat strings for a Rasa list slot, e.g. ["pt:crawling", "condition:Down syndrome"]."""
        return [f"{f.area}:{f.label}" for f in self.findings] + [
            f"condition:{name}" for name in self.conditions
        ]

    @classmethod
    def from_slot(cls, values: list[str] | None) -> Assessment:
        """Rebuild from `to_slot` output; malformed entries are skipped, not fatal."""
        findings: list[Finding] = []
        conditions: list[str] = []
        for value in values or []:
            area, sep, label = str(value).partition(":")
            label = label.strip()
            if not sep or not label:
                continue
            if area == "condition":
                conditions.append(label)
            elif area in ("pt", "ot", "other"):
                findings.append(Finding(area, label))  # type: ignore[arg-type]
        return cls(_unique_findings(findings), tuple(dict.fromkeys(conditions)))


def _unique_findings(findings: Iterable[Finding]) -> tuple[Finding, ...]:
    seen: dict[str, Finding] = {}
    for finding in findings:
        seen.setdefault(finding.label, finding)
    return tuple(seen.values())


# --- the sign lexicon ------------------------------------------------------------------------

ABILITY, PROBLEM, SENSORY = "ability", "problem", "sensory"
# ABILITY: a skill or activity; negating it ("can't hold a spoon") is the concern.
# PROBLEM: a difficulty word or condition; negating it ("isn't stiff") clears it.
# SENSORY: an everyday input (baths, noise, tags); a concern only next to distress words.


class _Sign(NamedTuple):
    label: str
    area: str  # "pt", "ot", "other" or "condition"
    kind: str
    group: str
    patterns: tuple[str, ...]
    plural: bool = False


def _s(label: str, area: str, kind: str, group: str, *patterns: str, plural: bool = False) -> _Sign:
    return _Sign(label, area, kind, group, patterns, plural)


# Pattern words: "a|b" alternatives, "~walk" all inflections, "?" optional, "POSS" his/her/...,
# "#num" any number. Earlier entries win ties between equally long overlapping matches.
_SIGNS: tuple[_Sign, ...] = (
    _s("cerebral palsy", "condition", PROBLEM, "condition", "cerebral palsy", "cp"),
    _s(
        "developmental delay", "condition", PROBLEM, "condition",
        "global|globally|developmental|developmentally ~delay|delays|delayed",
        "gdd", "dev delay|delays|delayed",
    ),
    _s(
        "sensory processing disorder", "condition", PROBLEM, "condition",
        "sensory processing disorder|dysfunction", "spd",
    ),
    _s(
        "Down syndrome", "condition", PROBLEM, "condition",
        "down 's|s? syndrome", "downs syndrome", "trisomy 21",
    ),
    # physical therapy: moving
    _s(
        "head control", "pt", ABILITY, "gross", "head control", "head lag",
        "~hold|~lift|~keep|~support|~raise|~pick POSS? head up", "~hold|~lift|~support POSS? head",
    ),
    _s("head control", "pt", PROBLEM, "gross", "POSS? head still|always? ~wobble|~flop|~bob",
       "wobbly|floppy head"),
    _s("tummy time", "pt", ABILITY, "gross", "tummy -? time", "on POSS? tummy|belly|stomach"),
    _s("rolling", "pt", ABILITY, "gross", "~roll over?"),
    _s("sitting still", "ot", ABILITY, "focus", "~sit still"),
    _s("posture", "pt", ABILITY, "body", "posture", "core strength|stability"),
    _s("posture", "pt", PROBLEM, "body", "~slouch|slumps|slumping", "w -? ~sit"),
    _s("sitting", "pt", ABILITY, "gross", "~sit up?"),
    _s("crawling", "pt", ABILITY, "gross", "~crawl", "~scoot", "army|commando ~crawl"),
    _s(
        "standing", "pt", ABILITY, "gross", "~stand up?", "~pull to ~stand", "~pull up",
        "~bear weight", "weight -? bearing",
        "~pull himself|herself|themselves|themself up",
    ),
    _s(
        "toe walking", "pt", PROBLEM, "body", "toe -? ~walk", "toe -? walker|walkers",
        "~walk on POSS? tip|tippy? -? toes|toe|tiptoes|tiptoe", "tiptoe|tiptoes|tippytoes",
        "tippy -? toes", "only|always|mostly|constantly|still on his|her|their tip|tippy? -? toes",
    ),
    _s(
        "walking", "pt", ABILITY, "gross", "~walk", "first steps", "~take POSS? first? steps",
        "late walker",
    ),
    _s("cruising", "pt", ABILITY, "gross", "~cruise"),
    _s("running", "pt", ABILITY, "gross", "~run"),
    _s("jumping", "pt", ABILITY, "gross", "~jump", "~hop"),
    _s("ball skills", "pt", ABILITY, "gross", "~catch|~throw|~kick a|the? ball", plural=True),
    _s("climbing stairs", "pt", ABILITY, "gross", "~climb up|down? the? stairs|steps", "stairs"),
    _s("climbing", "pt", ABILITY, "gross", "~climb"),
    _s(
        "riding a bike", "pt", ABILITY, "gross",
        "~ride a|his|her|POSS? bike|tricycle|trike|scooter", "~pedal",
    ),
    _s("balance", "pt", ABILITY, "gross", "~balance"),
    _s("balance", "pt", PROBLEM, "gross", "wobbly|unsteady|unstable", "off balance"),
    _s("hand-eye coordination", "ot", ABILITY, "fine",
       "hand -? eye coordination?", "eye -? hand coordination?", "visual -? motor"),
    _s("coordination", "pt", ABILITY, "gross", "coordination", "motor planning"),
    _s("coordination", "pt", PROBLEM, "gross", "uncoordinated"),
    _s("fine-motor skills", "ot", ABILITY, "fine", "fine -? motor skill|skills|control?",
       plural=True),
    _s("fine-motor skills", "ot", PROBLEM, "fine", "fine -? motor delay|delays", plural=True),
    _s("motor delay", "pt", PROBLEM, "milestones", "gross -? motor delay|delays",
       "motor delay|delays", "delayed gross? -? motor skills?"),
    _s("motor skills", "pt", ABILITY, "milestones",
       "gross -? motor skill|skills|milestones|milestone?", "motor skills|milestones", "milestones",
       plural=True),
    _s(
        "falling a lot", "pt", PROBLEM, "body",
        "~fall over|down? a lot", "~fall over|down? constantly|often|frequently|easily|everywhere",
        "~fall over|down? all the time", "always|constantly|often|keep|keeps|kept ~fall",
        "~fall over|down", "~trip|~stumble over?", "~lose POSS? balance",
    ),
    _s("clumsiness", "pt", PROBLEM, "body", "clumsy|clumsiness|klutzy"),
    _s(
        "stiffness", "pt", PROBLEM, "body",
        "stiff|stiffness|stiffens|stiffening|stiffly|rigid|tense|tight|tighter|tightness",
        "tightening|spastic|spasticity",
        "hypertonia|hypertonic", "high tone", "~arch POSS? back", "banana",
    ),
    _s("hand strength", "ot", PROBLEM, "fine", "hand strength",
       "weak hands|fingers|grip|grasp|wrists|thumbs"),
    _s("weakness", "pt", PROBLEM, "body", "weak|weakness"),
    _s("low muscle tone", "pt", PROBLEM, "body", "low muscle? tone", "hypotonia|hypotonic|floppy",
       "muscle tone"),
    _s(
        "favoring one side", "pt", PROBLEM, "body",
        "~favor POSS? one|left|right|other? side|hand|arm|leg|hands|arms|legs",
        "~prefer POSS? one|left|right|other side|hand|arm", "one -? sided",
        "lopsided|asymmetry|asymmetric|asymmetrical", "~use only? one side|hand|arm",
        "one leg higher", "different heights|lengths",
        "leg|legs ~look|~seem|is|are? shorter|longer|higher|lower", "~drag one|a|POSS leg|foot",
    ),
    _s("torticollis", "pt", PROBLEM, "body", "torticollis", "wry neck"),
    _s("head tilt", "pt", PROBLEM, "body", "head tilt|tilts|tilting|tilted", "~tilt POSS? head"),
    _s(
        "turning the head one way", "pt", PROBLEM, "body",
        "~turn POSS? head only|just? to? one|the|1 way|side|direction",
        "~look only|just? to? one way|side|direction",
        "~turn only|just? to? one way|side|direction",
        "only|always|just ~turn|~hold|~keep POSS? head to? the|one? left|right|side",
        "head to one side", "head turned to? the|one? left|right|side",
    ),
    _s(
        "flat spot on the head", "pt", PROBLEM, "body", "flat spot|spots|head|patch",
        "~get|is|~look|gone|going flat",
        "plagiocephaly|brachycephaly|flattening", "misshapen head", "head shape", "~flatten",
    ),
    _s(
        "being born early", "pt", PROBLEM, "body",
        "premature|prematurely|prematurity|preemie|preemies|premie|premmie|prem|preterm",
        "micropreemie",
        "micro -? preemie", "born early|prematurely", "born #num weeks? early",
        "born at #num weeks?",
    ),
    _s("time in the NICU", "pt", PROBLEM, "body", "nicu"),
    _s("brachial plexus injury", "pt", PROBLEM, "body", "brachial plexus injury|palsy?",
       "erb|klumpke 's? palsy", "erbs palsy"),
    _s("clubfoot", "pt", PROBLEM, "body", "club -? foot|feet", "clubfoot|clubfeet|talipes"),
    _s("limb difference", "pt", PROBLEM, "body",
       "congenital? limb difference|differences|deficiency|deficiencies", "amputation|amputee"),
    _s("limping", "pt", PROBLEM, "body", "limp|limps|limping|limped"),
    _s(
        "leg and foot alignment", "pt", PROBLEM, "body", "pigeon -? toed", "in -? toeing",
        "intoeing", "flat feet|foot", "bow -? legged|legs", "knock -? kneed|knees",
        "feet|toes|foot ~turn|~point in|inward|inwards",
    ),
    _s("using a walker or wheelchair", "pt", PROBLEM, "mobility",
       "wheelchair|walker|walkers|orthotics|afos|afo|stander|crutches", "gait trainer"),
    _s("breastfeeding", "pt", ABILITY, "tension", "breast -? ~feed",
       "breastfeeding|breastfeed|breastfeeds|breastfed", "~latch"),
    # occupational therapy: doing
    _s("pincer grasp", "ot", ABILITY, "fine", "pincer -? grasp|grip?"),
    _s("grasp", "ot", ABILITY, "fine", "grasp|grasping|grasps|grip|grips|gripping", "~grab",
       "~grasp"),
    _s("dropping things", "ot", PROBLEM, "fine", "~drop things|toys|everything|stuff"),
    _s("holding a crayon", "ot", ABILITY, "fine", "crayon|crayons|marker|markers"),
    _s("pencil grip", "ot", ABILITY, "fine", "pencil|pencils grip|grasp|hold?",
       "pen|pens grip|grasp|hold"),
    _s("handwriting", "ot", ABILITY, "fine", "handwriting", "hand -? writing", "~write", "~trace"),
    _s("drawing and coloring", "ot", ABILITY, "fine", "~draw", "~color", "coloring", plural=True),
    _s("using scissors", "ot", ABILITY, "fine", "scissors", "~cut paper|shapes|out"),
    _s(
        "buttons and zips", "ot", ABILITY, "fine",
        "button|buttons|buttoning|zip|zips|zipper|zippers|zipping|snaps|fasteners|velcro",
        "~button up", "~zip up", plural=True,
    ),
    _s("tying shoes", "ot", ABILITY, "selfcare", "~tie POSS? shoes|shoelaces|laces",
       "shoelaces|laces"),
    _s(
        "getting dressed", "ot", ABILITY, "selfcare", "~get dressed|undressed", "~dress|~undress",
        "~get himself|herself|themselves|themself|him|her|them dressed|undressed",
        "dressing", "~put on POSS? clothes|shoes|socks|coat|jacket|shirt|pants|trousers",
    ),
    _s("using a spoon", "ot", ABILITY, "fine", "spoon|spoons", "utensils|cutlery|silverware"),
    _s("using a fork", "ot", ABILITY, "fine", "fork|forks"),
    _s("using a knife", "ot", ABILITY, "fine", "knife|knives"),
    _s("self-feeding", "ot", ABILITY, "fine", "self -? ~feed", "selffeeding",
       "~feed himself|herself|themselves|themself", "finger food|foods"),
    _s("drinking from a cup", "ot", ABILITY, "fine", "open|sippy? cup|cups", "straw"),
    _s("feeding", "ot", ABILITY, "selfcare", "feeding", "~feed", "bottle -? feeding",
       "mealtimes|mealtime"),
    _s("chewing", "ot", ABILITY, "fine", "~chew"),
    _s("gagging on foods", "ot", PROBLEM, "sensory", "~gag", "gagging", "gag reflex"),
    _s("brushing teeth", "ot", ABILITY, "selfcare", "~brush POSS? teeth|tooth",
       "tooth|teeth -? brushing|~brush", "toothbrush|toothbrushing"),
    _s("sensory sensitivities", "ot", PROBLEM, "sensory", "sensory",
       "oversensitive|hypersensitive|overstimulated|overstimulation", "sensitive", plural=True),
    _s("bath time", "ot", SENSORY, "sensory", "bath|baths|bathtime|bathtub|tub", "bath time",
       "~bathe", "bathing", "hair -? ~wash", "~wash POSS? hair"),
    _s("haircuts and nail trims", "ot", SENSORY, "sensory", "haircut|haircuts",
       "hair -? cuts|cut|cutting", "nail|nails cutting|trims|trimming|clipping",
       "~cut|~clip|~trim POSS? nails|hair", plural=True),
    _s("loud noises", "ot", PROBLEM, "sensory", "~cover POSS? ears", plural=True),
    _s("loud noises", "ot", SENSORY, "sensory",
       "noise|noises|noisy|sound|sounds|loud|vacuum|hoover|fireworks|sirens|blender",
       "hand -? dryer|dryers", plural=True),
    _s("textures", "ot", SENSORY, "sensory", "texture|textures|textured|lumpy|lumps|mushy|slimy",
       plural=True),
    _s("messy hands", "ot", SENSORY, "sensory", "messy|mess|sticky|dirty|slime|sand|glue|paint",
       "finger -? paint|painting", "play -? doh|dough", "playdough|playdoh", plural=True),
    _s("clothing and tags", "ot", SENSORY, "sensory",
       "tag|tags|seams|labels|socks|clothes|clothing|scratchy|itchy|wool|fabric|fabrics",
       plural=True),
    _s("touch", "ot", SENSORY, "sensory", "~touch", "hugs|cuddles"),
    _s("diaper changes", "ot", SENSORY, "sensory", "diaper|diapers ~change?", plural=True),
    _s("swings and movement", "ot", SENSORY, "sensory", "swing|swings|swinging|slide|slides",
       "spinning|heights", "merry -? go -? round", plural=True),
    _s("bright lights", "ot", SENSORY, "sensory", "bright light|lights", "lights", plural=True),
    _s("meltdowns", "ot", PROBLEM, "feelings", "meltdown|meltdowns", "~melt down",
       "tantrum|tantrums|outbursts", "big feelings|emotions", "~freak out", plural=True),
    _s("calming down", "ot", ABILITY, "feelings", "~calm down",
       "~calm himself|herself|themselves|themself down?", "self -? ~soothe",
       "~soothe himself|herself"),
    _s("emotional regulation", "ot", ABILITY, "feelings", "emotional regulation",
       "~regulate POSS? emotions|feelings"),
    _s("focus", "ot", ABILITY, "focus", "focus|attention|concentration", "~focus", "~concentrate",
       "attention span", "~pay attention", "~stay on task"),
    _s("focus", "ot", PROBLEM, "focus", "distracted|distractible"),
    _s("blocks and puzzles", "ot", ABILITY, "fine", "~stack blocks?", "blocks|puzzle|puzzles",
       "~stack", plural=True),
    _s("picking up small things", "ot", ABILITY, "fine",
       "~pick up small|tiny? things|objects|food|cheerios|puffs|toys|crumbs|blocks|peas"),
    _s("reaching for toys", "ot", ABILITY, "fine", "~reach for|out"),
    # not a PT/OT matter on its own
    _s(
        "speech", "other", ABILITY, "speech", "speech", "~talk", "~speak", "~babble",
        "words|word|language", "~say any|many|much? words|mama|dada|anything", "~pronounce",
        "pronunciation",
    ),
    _s("speech", "other", PROBLEM, "speech", "~stutter|~stammer|~lisp|nonverbal", "non -? verbal",
       "late talker", "speech -? delay|delays|delayed", "delayed speech"),
    _s(
        "sleep", "other", ABILITY, "sleep", "~sleep", "asleep", "nap|naps|napping|~nap",
        "bedtime",
    ),
    _s("sleep", "other", PROBLEM, "sleep", "night -? waking|wakings|wakeups",
       "~wake up? at|during|in? the? night", "~wake up? all night", "~wake up? at #num",
       "~wake up? early|often|constantly|every|each|#num"),
    _s("picky eating", "other", PROBLEM, "eating", "picky|fussy|selective eater|eaters|eating",
       "picky", "only ~eat"),
    _s("eating", "other", ABILITY, "eating", "~eat"),
    _s("behavior", "other", ABILITY, "behavior", "behavior|behaviors|behavioral"),
    _s("hearing", "other", ABILITY, "hearing", "hearing", "~hear", "deaf"),
    _s("vision", "other", ABILITY, "vision", "vision|eyesight"),
)  # fmt: skip

_LABELS: dict[str, _Sign] = {}
for _sign in _SIGNS:
    _LABELS.setdefault(_sign.label, _sign)

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


def _forms(base: str) -> set[str]:
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


def _words(*specs: str) -> frozenset[str]:
    """Lower-case word set from "~verb" (inflected) and plain entries."""
    out: set[str] = set()
    for spec in specs:
        for word in spec.split():
            out |= _forms(word[1:]) if word.startswith("~") else {word}
    return frozenset(out)


# Words that make a mention a concern ("hates tummy time", "trouble with buttons") ...
_BAD = _words(
    "~trouble ~struggle difficult difficulty difficulties hard harder tough tricky challenging",
    "~challenge ~battle nightmare impossible ~problem ~issue ~worry worried ~concern concerned",
    "~delay behind late later slow slowly slower poor poorly bad badly awkward awkwardly funny",
    "funky weird strange odd off wrong abnormal unusual weak clumsy wobbly unsteady messy sloppy",
    "illegible limited worse unable ~refuse ~hate ~dislike ~avoid ~resist ~fight ~scream ~cry",
    "~shriek ~yell upset ~upset meltdown meltdowns tantrum tantrums ~freak ~panic scared afraid",
    "terrified ~fear frightened anxious ~gag ~bother sensitive overwhelmed ~overwhelm frustrated",
    "frustrating frustration ~fuss fussy ~help ~work ~practice stuck ~hurt painful ~lag only few",
    "rarely seldom crazy nuts ~mind fist fisted terrible horrible awful ~lose tired ~tire",
)
# ... and words that say it is fine ("walks fine", "loves the bath", "no problem").
_GOOD = _words(
    "fine okay ok great good well perfectly perfect normal normally nicely beautifully easily",
    "ease ~love ~like ~enjoy ~tolerate ~handle independently independent alone unsupported",
    "unassisted strong steady solid awesome amazing excellent brilliant fantastic gone resolved",
    "outgrew ~outgrow ruled typical typically advanced ahead confidently confident happily",
)
# Negation on these verbs carries down to the mention ("doesn't seem to walk").
_TRANSPARENT = _words(
    "~be ~do ~have ~get ~seem ~look ~start ~begin ~try ~want ~learn ~manage able ~bear ~think",
    "~believe ~can ~will ~go ~need ~use ~show yet",
)
_NEG_WORDS = frozenset({"never", "no", "not", "n't", "nt", "hardly", "barely", "none", "nothing"})
_NEG_RAISERS = _words("~think ~believe")
_CONTRAST = frozenset({"but", "yet", "although", "though", "whereas", "however"})
_CLAUSE_DEPS = frozenset({"ccomp", "advcl", "relcl", "csubj", "acl"})
_EVAL_DEPS = frozenset(
    {"advmod", "acomp", "attr", "amod", "oprd", "xcomp", "ccomp", "npadvmod", "dobj", "relcl",
     "nsubj", "nsubjpass"}
)  # fmt: skip
_NOT_THE_CHILD = frozenset(
    {"i", "me", "you", "we", "us", "it", "this", "that", "what", "which", "there"}
)
_HAND_WORDS = _words("~hand ~finger ~grip ~grasp ~wrist pincer ~thumb")
_POSS = ["his", "her", "their", "its", "the", "my", "our", "your", "this", "that", "a", "one"]


# --- text clean-up -------------------------------------------------------------------------

_REWRITES: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern, re.IGNORECASE), repl)
    for pattern, repl in (
        (r"[‘’`´]", "'"),
        (r"\btummy\s*-?\s*time\b", "tummy time"),
        (r"\bfavour", "favor"),
        (r"\bbehaviour", "behavior"),
        (r"\bcolour", "color"),
        (r"\bnappy\b", "diaper"),
        (r"\bnappies\b", "diapers"),
        (r"\bpractis", "practic"),
        (r"\btippytoes\b", "tippy toes"),
        (r"\bballance\b", "balance"),
        (r"\b(?:scisors|sissors|scissers|sizzors)\b", "scissors"),
        (r"\b(crawl|walk|roll|sitt|stand|talk)in'?(?=\s|$|[,.!?])", r"\1ing"),
        (r"\balot\b", "a lot"),
        (r"\bw/o\b", "without"),
        (r"\bw/(?=\s)", "with"),
        (r"\b(?:b/c|bc|cuz|coz)\b", "because"),
        (r"\b(can|won|don|doesn|isn|didn|hasn|haven|wasn|aren|couldn|wouldn|shouldn)t\b", r"\1't"),
        # "can't stand the bath" means hates it, unlike "can't stand up"
        (
            r"\b(?:can't|cannot|can not)\s+stand\s+(?=(?:it|the|a|an|any|being|having|getting|"
            r"wearing|loud|noises?|sounds?|tags?|textures?|his|her|their|when|that|baths?|socks|"
            r"clothes|messy|touch|hugs|people)\b)",
            "hates ",
        ),
    )
)
_KEYWORDS = frozenset(
    word
    for sign in _SIGNS
    for pattern in sign.patterns
    for item in pattern.split()
    for alt in item.rstrip("?").split("|")
    for word in (_forms(alt[1:]) if alt.startswith("~") else {alt})
    if len(word) >= 5 and word.isalpha()
) | frozenset(w for w in _BAD | _GOOD if len(w) >= 5 and w.isalpha())


def _distance(a: str, b: str) -> int:
    """Edit distance counting a swap of neighbours as one edit ("crawlign" vs "crawling")."""
    prev2: list[int] = []
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i] + [0] * len(b)
        for j, cb in enumerate(b, 1):
            cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca != cb))
            if i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                cur[j] = min(cur[j], prev2[j - 2] + 1)
        prev2, prev = prev, cur
    return prev[-1]


def _fix_typo(word: str, vocab: Vocab) -> str:
    """Nearest sign keyword for an unknown word ("crawlling"); known words stay as they are."""
    lower = word.lower()
    if len(lower) < 5 or lower in _KEYWORDS or vocab.vectors.n_keys == 0:
        return word
    known = vocab.has_vector(lower)  # a real word, or a typo common enough to have a vector
    if known and len(lower) < 10:
        return word  # short real words sit too close to each other ("teaching", "reaching")
    limit = 1 if known or len(lower) < 8 else 2
    best = min(
        (k for k in _KEYWORDS if abs(len(k) - len(lower)) <= limit),
        key=lambda k: (_distance(lower, k), k[:2] != lower[:2], k),
        default=None,
    )
    if best is not None and _distance(lower, best) <= limit:
        return best
    return word


def normalize(text: str, vocab: Vocab) -> str:
    """Spelling variants, missing apostrophes and small typos mapped to the lexicon's words."""
    for pattern, repl in _REWRITES:
        text = pattern.sub(repl, text)
    return re.sub(r"[A-Za-z]+", lambda m: _fix_typo(m.group(0), vocab), text)


# --- matching ------------------------------------------------------------------------------

_MATCHERS: dict[int, tuple[Vocab, Matcher]] = {}


def _token_spec(item: str) -> dict[str, object]:
    optional = item.endswith("?") and len(item) > 1
    body = item[:-1] if optional else item
    spec: dict[str, object]
    if body == "#num":
        spec = {"LIKE_NUM": True}
    elif body == "POSS":
        spec = {"LOWER": {"IN": _POSS}}
    else:
        words = set().union(*(_forms(a[1:]) if a[0] == "~" else {a} for a in body.split("|")))
        spec = {"LOWER": {"IN": sorted(words)}}
    if optional:
        spec["OP"] = "?"
    return spec


def _matcher(nlp: Language) -> Matcher:
    """One Matcher per vocab, built on first use."""
    from spacy.matcher import Matcher

    cached = _MATCHERS.get(id(nlp.vocab))
    if cached is not None and cached[0] is nlp.vocab:
        return cached[1]
    matcher = Matcher(nlp.vocab)
    for index, sign in enumerate(_SIGNS):
        patterns = [[_token_spec(item) for item in p.split()] for p in sign.patterns]
        matcher.add(f"sprout_sign_{index}", patterns)
    _MATCHERS[id(nlp.vocab)] = (nlp.vocab, matcher)
    return matcher


def _is_verb(tok: Token) -> bool:
    return tok.pos_ in ("VERB", "AUX")


def _subject(tok: Token) -> Token | None:
    return next((c for c in tok.children if c.dep_ in ("nsubj", "nsubjpass")), None)


def _vetoed(span: Span, sign: _Sign) -> bool:
    """Readings where a sign word means something else ("runs a fever", "sounds like")."""
    tok = span.root
    lower, label = tok.lower_, sign.label
    deps = {c.dep_ for c in tok.children}
    nxt = tok.nbor(1).lower_ if tok.i + 1 < len(tok.doc) else ""
    subject = _subject(tok)
    if (
        sign.kind == ABILITY
        and _is_verb(tok)
        and subject is not None
        and subject.lower_ in ("i", "we", "you")
        and len(span) == 1
    ):
        return True  # the parent or the bot doing it, not the child
    if lower in _words("~stand ~run") and "dobj" in deps:
        return True  # "can't stand loud noises", "runs a fever"
    if tok.pos_ in ("NOUN", "PROPN") and lower in ("roll", "rolls", "stand", "dress", "color"):
        return True
    if label == "drawing and coloring" and lower in ("colors", "drawing", "drawings"):
        return tok.pos_ != "VERB"
    if (label == "blocks and puzzles" and tok.pos_ == "VERB" and lower == "blocks") or (
        label == "loud noises" and lower in ("sound", "sounds") and tok.pos_ == "VERB"
    ):
        return True
    if label == "speech":
        talker = subject is None or subject.lower_ in ("i", "we", "you")
        if talker and nxt in ("to", "with", "about", "through", "over"):
            return True  # "I want to talk to someone"
        if lower in ("word", "words") and tok.i > 0 and tok.nbor(-1).lower_ == "other":
            return True
    return label == "eating" and "prep" in deps and any(c.lower_ == "with" for c in tok.children)


def _negated(tok: Token) -> bool:
    """Negation on the token itself, through "without", or on its copula ("is not good")."""
    if any(c.dep_ == "neg" or c.lower_ in _NEG_WORDS for c in tok.children):
        return True
    if tok.head.lower_ == "without" and tok.head.i != tok.i:
        return True
    return tok.dep_ in ("acomp", "attr", "oprd") and any(
        c.dep_ == "neg" or c.lower_ in _NEG_WORDS for c in tok.head.children
    )


def _is_bad(tok: Token) -> bool:
    return tok.lower_ in _BAD and not (tok.lower_ == "help" and tok.pos_ not in ("NOUN", "VERB"))


def _is_good(tok: Token) -> bool:
    lower = tok.lower_
    if lower not in _GOOD:
        return False
    nxt = tok.nbor(1).lower_ if tok.i + 1 < len(tok.doc) else ""
    prev = tok.nbor(-1).lower_ if tok.i > 0 else ""
    if (lower == "fine" and nxt == "motor") or (lower == "well" and prev == "as"):
        return False
    return not (lower.startswith(("lik", "lov")) and tok.pos_ != "VERB")


def _verdict(tok: Token, negated: bool) -> bool | None:
    """True for a concern, False for "it's fine", None when the word says neither."""
    if _is_bad(tok):
        return not negated
    if _is_good(tok):
        return negated
    return None


def _children(tok: Token) -> Iterator[Token]:
    """Modifiers that can judge a mention, looking through prepositions ("with difficulty")."""
    for child in tok.children:
        if child.dep_ in _EVAL_DEPS:
            yield child
        elif child.dep_ == "prep":
            yield from (c for c in child.children if c.dep_ in ("pobj", "pcomp"))


def _contrasted(tok: Token) -> bool:
    """A conjunct after "but"/"yet", or a clause opened by "although": a new thought."""
    head = tok.head
    between = [c for c in head.children if c.dep_ in ("cc", "punct") and head.i < c.i < tok.i]
    opening = [c for c in tok.children if c.dep_ in ("cc", "mark", "advmod") and c.i < tok.i]
    return any(c.lower_ in _CONTRAST for c in (*between, *opening))


def _shares_head(verb: Token) -> bool:
    """ "can't sit or crawl" shares the negation; "won't sleep and is picky" does not."""
    finite = verb.tag_ in ("VBZ", "VBD", "VBP", "MD")
    return not finite and not any(c.dep_ in ("aux", "auxpass", "nsubj") for c in verb.children)


def _refusal(verb: Token) -> bool:
    return any(c.dep_ == "aux" and c.lower_ in ("wo", "will", "would") for c in verb.children)


def _anchor(tok: Token) -> Token | None:
    """The verb a mention hangs on ("hold" for "crayon"), used for negation and defaults."""
    node = tok
    for _ in range(5):
        if _is_verb(node):
            return node
        if node.head.i == node.i or node.dep_ in _CLAUSE_DEPS:
            return None
        node = node.head
    return None


def _affirmed(verb: Token | None, own: set[int]) -> bool:
    """A plain statement about the child ("she walks", "he has a pincer grasp")."""
    node = verb
    for _ in range(5):
        if node is None:
            return False
        subject = _subject(node)
        if subject is not None:
            return subject.lower_ not in _NOT_THE_CHILD and subject.i not in own
        if node.dep_ not in ("xcomp", "acomp", "conj", "aux"):
            return False
        node = node.head  # a conjunct shares its subject: "she isn't rolling but crawling"
    return False


def _distress_nearby(span: Span) -> bool:
    """Fallback for odd parses: a distress word a few words before or after, same clause."""
    sent = span.sent
    for step, start in ((-1, span.start - 1), (1, span.end)):
        i = start
        while sent.start <= i < sent.end and abs(i - (span.start if step < 0 else span.end)) < 4:
            tok = span.doc[i]
            if tok.is_punct or tok.lower_ in _CONTRAST or tok.lower_ == "and":
                break
            if _is_bad(tok) and not _negated(tok):
                return True
            i += step
    return False


def _is_concern(span: Span, sign: _Sign, covered: set[int]) -> bool:
    """Judge one mention in its sentence: a real concern, or said to be fine / negated away."""
    problem = sign.kind != ABILITY  # negation clears problems, but is the sign for abilities
    own = {tok.i for tok in span}
    anchor = _anchor(span.root)
    anchor_i = -1 if anchor is None else anchor.i
    node, via_conj, close = span.root, False, True
    visited: set[int] = set(own)
    while True:
        negated = any(map(_negated, span)) if node.i in own else _negated(node)
        if via_conj:
            if negated and close:
                return not problem
        else:
            if node.i not in own and (verdict := _verdict(node, negated)) is not None:
                return verdict
            # past a clause boundary only the words on the path count, not their modifiers
            holders = list(span) if node.i in own else [node] if close else []
            for child in (c for holder in holders for c in _children(holder)):
                if child.i in covered or child.i in visited:
                    continue
                if problem and node.i in own and _is_good(child):
                    continue  # "easily distracted" is still distracted
                if (verdict := _verdict(child, negated or _negated(child))) is not None:
                    return verdict
            if negated and sign.kind == SENSORY and node.i == anchor_i and _refusal(node):
                return True  # "won't wear socks", "won't get in the bath"
            lexical = node.lower_ in _TRANSPARENT or node.lemma_ in _TRANSPARENT
            if negated and (node.i in own or (close and (node.i == anchor_i or lexical))):
                return not problem
        visited.add(node.i)
        if problem and node.lower_ == "used" and any(c.dep_ == "xcomp" for c in node.children):
            return False  # "she used to have torticollis": in the past
        if node.head.i == node.i or node.dep_ == "parataxis":
            break
        if node.dep_ == "conj" and _contrasted(node):
            break  # "she isn't rolling but crawling": the conjunct after "but" stands alone
        if node.dep_ == "conj" and _is_verb(node):
            if not _shares_head(node):
                break
            via_conj = True
        else:
            via_conj = False
            if node.dep_ in _CLAUSE_DEPS:
                if _contrasted(node):
                    break
                if not (node.dep_ == "ccomp" and node.head.lower_ in _NEG_RAISERS):
                    close = False
        node = node.head
    if sign.kind == SENSORY:
        return _distress_nearby(span)
    if problem or span.sent.text.rstrip().endswith("?"):
        return True
    return not _affirmed(anchor, own)


def _redirect(span: Span, sign: _Sign, covered: set[int]) -> _Sign | None:
    """ "Weak hands" is hand strength (OT), not general weakness; drop it if already covered."""
    if sign.label != "weakness":
        return sign
    tok = span.root
    copula = tok.dep_ in ("acomp", "oprd", "attr")
    target = tok.head if tok.dep_ == "amod" else _subject(tok.head) if copula else None
    if target is not None and target.lower_ in _HAND_WORDS:
        return None if target.i in covered else _LABELS["hand strength"]
    return sign


def _mentions(doc: Doc, nlp: Language) -> list[tuple[Span, _Sign]]:
    """Longest non-overlapping sign matches, in text order."""
    from spacy.tokens import Span

    raw = []
    for match_id, start, end in _matcher(nlp)(doc):
        index = int(nlp.vocab.strings[match_id].rsplit("_", 1)[1])
        span = Span(doc, start, end)
        if not _vetoed(span, _SIGNS[index]):
            raw.append((start, end, index))
    raw.sort(key=lambda m: (-(m[1] - m[0]), m[2], m[0]))
    taken: set[int] = set()
    kept: list[tuple[int, int, int]] = []
    for start, end, index in raw:
        if taken.isdisjoint(range(start, end)):
            kept.append((start, end, index))
            taken.update(range(start, end))
    return [(Span(doc, s, e), _SIGNS[i]) for s, e, i in sorted(kept)]


def assess(text: str, nlp: Language) -> Assessment:
    """What a message says about the child, as findings and named conditions."""
    if not text or not text.strip():
        return Assessment()
    doc = nlp(normalize(text, nlp.vocab))
    mentions = _mentions(doc, nlp)
    matched = {tok.i for span, _ in mentions for tok in span}
    judged = [(span, _redirect(span, sign, matched)) for span, sign in mentions]
    # A sign word judges its neighbours unless it is a mention itself; everyday inputs such as
    # "messy" stay available as judges ("her handwriting is messy").
    covered = {t.i for span, sign in judged if sign and sign.kind != SENSORY for t in span}
    findings: list[Finding] = []
    conditions: list[str] = []
    for span, sign in judged:
        if sign is None or not _is_concern(span, sign, covered):
            continue
        if sign.area == "condition":
            conditions.append(sign.label)
        else:
            findings.append(Finding(sign.area, sign.label))  # type: ignore[arg-type]
    return Assessment(_unique_findings(findings), tuple(dict.fromkeys(conditions)))


# --- explanations --------------------------------------------------------------------------


class _Wording(NamedTuple):
    one: str  # predicate after one label: "Crawling is a gross-motor skill"
    many: str  # after several: "Crawling and rolling are gross-motor skills"
    adjective: str  # "Adding using a spoon, which is fine-motor, ..."
    noun: str  # in mixed lists: "are about movement and gross-motor skills"


_SENSES = "about how the body takes in senses like touch and sound"
_GROUPS: dict[str, _Wording] = {
    "gross": _Wording(
        "is a gross-motor skill", "are gross-motor skills", "gross-motor", "gross-motor skills"
    ),
    "body": _Wording(
        "can affect how the body moves",
        "can affect how the body moves",
        "about movement",
        "movement",
    ),
    "milestones": _Wording(
        "is part of motor development",
        "are part of motor development",
        "about motor development",
        "motor development",
    ),
    "mobility": _Wording(
        "is about getting around", "are about getting around", "about getting around", "mobility"
    ),
    "tension": _Wording(
        "can be linked to tightness in the body",
        "can be linked to tightness in the body",
        "about body tension",
        "body tension",
    ),
    "fine": _Wording("is a fine-motor skill", "are fine-motor skills", "fine-motor", "hand skills"),
    "selfcare": _Wording(
        "is an everyday self-care task", "are everyday self-care tasks", "self-care", "self-care"
    ),
    "sensory": _Wording(f"is {_SENSES}", f"are {_SENSES}", "sensory", "the senses"),
    "feelings": _Wording(
        "is about handling big feelings",
        "are about handling big feelings",
        "about big feelings",
        "big feelings",
    ),
    "focus": _Wording(
        "is part of getting everyday tasks done",
        "are part of getting everyday tasks done",
        "about focus",
        "focus",
    ),
    "doing": _Wording(
        "is about everyday tasks",
        "are about everyday tasks",
        "about everyday tasks",
        "everyday tasks",
    ),
}
_THERAPY_NAMES = {"pt": "PT", "ot": "OT", "both": "both PT and OT", "other": "another kind of help"}
_OTHER_POINTERS = {
    "speech": "For speech, a speech-language therapist is the best person to look at this, "
    "and your pediatrician can refer you.",
    "hearing": "For hearing, your pediatrician can arrange a hearing check.",
}


def _group(finding: Finding) -> str:
    sign = _LABELS.get(finding.label)
    if sign is not None and sign.area == finding.area:
        return sign.group
    return {"pt": "body", "ot": "doing"}.get(finding.area, "other")


def _join(items: list[str], limit: int, word: str = "and") -> str:
    shown = items[:limit]
    if len(items) > limit:
        return ", ".join(shown) + " and more"
    return shown[0] if len(shown) == 1 else f"{', '.join(shown[:-1])} {word} {shown[-1]}"


def _is_plural(findings: list[Finding]) -> bool:
    sign = _LABELS.get(findings[0].label)
    return len(findings) > 1 or bool(sign and sign.plural)


def _describe(findings: list[Finding], limit: int) -> str:
    """Labels with what they have in common: "Crawling and tummy time are gross-motor skills"."""
    groups = list(dict.fromkeys(_group(f) for f in findings))
    plural = _is_plural(findings)
    if len(groups) == 1:
        wording = _GROUPS[groups[0]]
        what = wording.many if plural else wording.one
    else:
        nouns = [_GROUPS[g].noun for g in groups]
        what = f"{'are' if plural else 'is'} about {_join(nouns, 4)}"
    labels = _join([f.label for f in findings], limit)
    return f"{labels[:1].upper()}{labels[1:]} {what}"


def _single_area(findings: list[Finding], area: str, limit: int) -> str:
    part, therapy = ("moving", "physical") if area == "pt" else ("doing", "occupational")
    return (
        f"{_describe(findings, limit)} - the {part} part of life, which is what {therapy} "
        f"therapy works on. {area.upper()} may help, and a therapist can look at this with you."
    )


def _other_pointer(findings: list[Finding], limit: int) -> str:
    """A kind pointer away from PT/OT: speech-language therapy or the pediatrician."""
    groups = {_group(f) for f in findings}
    parts = [_OTHER_POINTERS[g] for g in ("speech", "hearing") if g in groups]
    rest = [f.label for f in findings if _group(f) not in ("speech", "hearing")]
    if rest:
        parts.append(
            f"For {_join(rest, limit)}, your pediatrician is a good first stop and can point "
            "you to the right support."
        )
    return " ".join(parts)


def _changed_prefix(assessment: Assessment, previous: Therapy, limit: int) -> str:
    """ "Adding using a spoon, which is fine-motor, I'd now suggest both PT and OT" """
    therapy = assessment.therapy
    assert therapy is not None
    covered = {"pt": {"pt"}, "ot": {"ot"}, "both": {"pt", "ot"}}.get(previous, set())
    new = [f for f in assessment.findings if f.area in ("pt", "ot") and f.area not in covered]
    conditions = list(assessment.conditions) if previous != "both" else []
    target = _THERAPY_NAMES[therapy]
    if new:
        adjs = list(dict.fromkeys(_GROUPS[_group(f)].adjective for f in new))
        verb = "are" if _is_plural(new) else "is"
        labels = _join([f.label for f in new], limit)
        return f"Adding {labels}, which {verb} {_join(adjs, 3)}, I'd now suggest {target}."
    if conditions:
        return (
            f"Adding {_join(conditions, limit)}, which often calls for both kinds of therapy, "
            f"I'd now suggest {target}."
        )
    return f"Based on everything you've told me, I'd now suggest {target}."


def _body(assessment: Assessment, limit: int, changed: bool) -> str:
    therapy = assessment.therapy
    pt = [f for f in assessment.findings if f.area == "pt"]
    ot = [f for f in assessment.findings if f.area == "ot"]
    other = [f for f in assessment.findings if f.area == "other"]
    if therapy is None:
        return (
            "I couldn't pick out a specific difficulty yet. Could you tell me a bit more about "
            "what your child finds hard - like moving around, using their hands, or everyday "
            "tasks such as eating and dressing?"
        )
    if therapy == "other":
        return f"Thanks for telling me. {_other_pointer(other, limit)}"
    if assessment.conditions:
        names = _join(list(assessment.conditions), limit, "or")
        text = (
            f"Children with {names} often benefit from both: PT for moving and OT for everyday "
            "tasks like self-care. A therapist can look at what fits your child."
        )
        return (
            text
            if changed
            else f"You mentioned {_join(list(assessment.conditions), limit)}. {text}"
        )
    if therapy == "both":
        pt_labels = _join([f.label for f in pt], limit)
        ot_labels = _join([f.label for f in ot], limit)
        if changed:
            return (
                f"PT for {pt_labels}, and OT for {ot_labels}. "
                "A therapist can look at this with you."
            )
        doing = _describe(ot, limit)
        return (
            f"{_describe(pt, limit)}, the moving part that PT works on, and "
            f"{doing[:1].lower()}{doing[1:]}, the doing part that OT works on. "
            "Many children get both, and a therapist can look at this with you."
        )
    return _single_area(pt if therapy == "pt" else ot, therapy, limit)


def explain(assessment: Assessment, previous: Therapy | None = None) -> str:
    """A short, warm reason for the suggestion, naming what was noticed; never a diagnosis.

    With `previous` (the suggestion before this turn) it also says what changed it.
    """
    therapy = assessment.therapy
    other = [f for f in assessment.findings if f.area == "other"]
    candidates: list[str] = []
    for limit in (4, 3, 2, 1):
        changed = previous is not None and therapy is not None and previous != therapy
        text = _body(assessment, limit, changed)
        if changed and previous is not None:
            text = f"{_changed_prefix(assessment, previous, limit)} {text}"
        extra = _other_pointer(other, limit) if other and therapy not in ("other", None) else ""
        if extra and len(text) + 1 + len(extra) <= MAX_EXPLANATION:
            text = f"{text} {extra}"
        candidates.append(text)
        if len(text) <= MAX_EXPLANATION:
            return text
    shortest = min(candidates, key=len)
    cut = shortest[:MAX_EXPLANATION]
    return cut[: cut.rfind(". ") + 1] if ". " in cut else cut
