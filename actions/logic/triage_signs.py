"""The sign catalogue: every skill, difficulty and condition triage listens for, as data.

The lists follow the clinic's sources: the PT-vs-OT parent guides (gross motor, balance,
strength for PT; fine motor, self-care, senses, feelings, focus for OT; cerebral palsy,
developmental delay and sensory processing disorder for both) and the infant PT article
(torticollis, flat spots, prematurity, favouring one side, clubfoot and so on).
"""

from __future__ import annotations

from typing import NamedTuple

ABILITY, PROBLEM, SENSORY = "ability", "problem", "sensory"
# ABILITY: a skill or activity; negating it ("can't hold a spoon") is the concern.
# PROBLEM: a difficulty word or condition; negating it ("isn't stiff") clears it.
# SENSORY: an everyday input (baths, noise, tags); a concern only next to distress words.


class Sign(NamedTuple):
    label: str
    area: str  # "pt", "ot", "other" or "condition"
    kind: str
    group: str
    patterns: tuple[str, ...]
    plural: bool = False


def _s(label: str, area: str, kind: str, group: str, *patterns: str, plural: bool = False) -> Sign:
    return Sign(label, area, kind, group, patterns, plural)


# Pattern words: "a|b" alternatives, "~walk" all inflections, "?" optional, "POSS" his/her/...,
# "#num" any number. Earlier entries win ties between equally long overlapping matches.
SIGNS: tuple[Sign, ...] = (
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
        "~have downs", "~have down 's",
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
        "falls|falling over|down", "~trip|~stumble over?", "~lose POSS? balance",
    ),
    _s("clumsiness", "pt", PROBLEM, "body", "clumsy|clumsiness|klutzy"),
    _s(
        "stiffness", "pt", PROBLEM, "body",
        "stiff|stiffness|stiffens|stiffening|stiffly|rigid|tense|tight|tighter|tightness",
        "tightening|spastic|spasticity",
        "hypertonia|hypertonic", "high tone", "~arch POSS? back",
        "like a banana", "banana -? shape|shaped|posture|position|curve|curved",
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
        "leg|legs always|still? ~look|~seem|~sit|~lie|is|are? shorter|longer|higher|lower",
        "~drag one|a|POSS leg|foot",
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

# The first sign with each label, for looking a finding up by its label.
LABELS: dict[str, Sign] = {}
for _sign in SIGNS:
    LABELS.setdefault(_sign.label, _sign)
