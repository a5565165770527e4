"""The engine: the org world, the conversation state machine, scenario scripts, the generator,
the JSON projections and the invariant checker. Imports neither Flask nor pytest."""

from .generate import GeneratorOptions, conversation_rng, generate, make_one, parse_mix
from .library import SCENARIOS, Scenario, run_scenario
from .model import Conversation, EngineError, Participant
from .projection import (
    iso,
    to_call_json,
    to_conversation_bytes,
    to_conversation_json,
    to_media_json,
)
from .validate import DatasetValidator, Violation, assert_valid, validate, validate_file
from .world import World, build_world

__all__ = [
    "SCENARIOS",
    "Conversation",
    "DatasetValidator",
    "EngineError",
    "GeneratorOptions",
    "Participant",
    "Scenario",
    "Violation",
    "World",
    "assert_valid",
    "build_world",
    "conversation_rng",
    "generate",
    "iso",
    "make_one",
    "parse_mix",
    "run_scenario",
    "to_call_json",
    "to_conversation_bytes",
    "to_conversation_json",
    "to_media_json",
    "validate",
    "validate_file",
]
