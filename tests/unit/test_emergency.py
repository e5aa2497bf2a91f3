"""The emergency layer catches emergencies however they are written, and only them."""

from __future__ import annotations

import pytest

from safety.emergency import looks_like_emergency

EMERGENCIES = [
    "my baby isn't breathing",
    "my baby isnt breathin",
    "HELP baby not breathing",
    "she stopped breathing",
    "he can't breathe",
    "my son cant breath properly and is making weird noises",
    "she's struggling to breathe",
    "baby is gasping for air",
    "his lips are blue",
    "she is turning blue",
    "he's gone grey and floppy",
    "her face looks purple",
    "she's having a seizure",
    "my daughter is having a siezure right now",
    "he is seizing",
    "baby is convulsing",
    "she's fitting and won't stop",
    "he's having a fit",
    "my baby is unresponsive",
    "she's unconscious",
    "he passed out",
    "he won't wake up",
    "i cant wake her",
    "my baby fell off the bed and won't wake up",
    "she's not responding to me",
    "he's choking",
    "she choked on a grape and is coughing",
    "baby chocking help",
    "my toddler swallowed a button battery",
    "he swallowed some pills",
    "she swallowed bleach",
    "he hit his head and now he's vomiting",
    "she fell and bumped her head, now she's really drowsy",
    "my son banged his head on the table and keeps throwing up",
    "he fell down the stairs, hit his head and is not acting right",
    "she's bleeding a lot and it won't stop",
    "should I call an ambulance, he is limp and pale",
    "my baby is limp and not moving",
    "we need to call 911",
    "My Baby Isn\u2019t Breathing",
    "baby not breathing!!!",
    "he's not breathing properly and his lips are going blue",
    "my baby isnt breathng",
    "she stoped breathing",
    "hes not breating",
    "he is having a seisure",
    "my son is unconcious",
]

NEAR_MISSES = [
    "how do I know if she's breathing ok during tummy time?",
    "my baby fell asleep during tummy time",
    "she's breathing fine, I just wonder about her crawling",
    "he breathes normally but hates lying on his tummy",
    "does PT help with breathing exercises?",
    "she had a seizure last year, can she still do PT?",
    "he has a history of seizures, is OT safe?",
    "no seizures, just slow to sit up",
    "she chokes on lumpy food when we start solids",
    "he gags on purees and textures",
    "my baby wakes up a lot at night",
    "she won't sleep through the night",
    "he fell over a lot when learning to walk",
    "my toddler falls a lot and seems clumsy",
    "she bumped into things as she crawled",
    "is it safe for newborns?",
    "how much does a session cost",
    "my baby is a bit floppy compared to other babies",
    "his muscle tone is low",
    "she turns her head only one way",
    "my son is blue-eyed and loves bath time",
    "what should I bring to the first session",
    "he's four and can't hold a pencil",
    "she hates having her hands messy",
    "can I book a video session",
    "my daughter was born early and spent time in the NICU",
    "he was premature, does he need physio",
    "she holds her breath when she's angry",
    "is infant physical therapy safe",
    "my baby arches her back like a banana",
    "he seems tired after therapy",
    "she cries during tummy time",
    "when should I talk to my pediatrician",
    "she's not crawling yet",
    "he's not walking at 15 months",
    "can't use a spoon yet",
    "my baby's head has a flat spot",
    "is it normal that she drools a lot",
    "does insurance cover OT",
    "what ages do you see",
    "can you help a kid who is sensitive to loud noises",
    "my son isn't talking yet",
    "are these toys a choking hazard for a 9 month old?",
    "she holds her breath during tummy time",
    "he seized the toy from his sister and laughed",
    "his breathing is fine now, he was just crying",
]


@pytest.mark.parametrize("message", EMERGENCIES)
def test_emergency_is_caught(message: str) -> None:
    assert looks_like_emergency(message)


@pytest.mark.parametrize("message", NEAR_MISSES)
def test_near_miss_is_not_an_emergency(message: str) -> None:
    assert not looks_like_emergency(message)


def test_enough_cases() -> None:
    assert len(set(EMERGENCIES)) >= 40 and len(set(NEAR_MISSES)) >= 40
