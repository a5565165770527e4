"""The engine: the org world, the conversation state machine, scenario scripts, the generator,
the JSON projections and the invariant checker. Imports neither Flask nor pytest."""

# the operation modules, which users import from here by name
from .engine import control as control
from .engine import routing as routing
from .engine import supervision as supervision
from .engine import transfer as transfer
from .engine import wrapup as wrapup
from .engine.model import Conversation, EngineError, Participant
from .library.generate import GeneratorOptions, conversation_rng, generate, make_one, parse_mix
from .library.registry import SCENARIOS, Scenario, run_scenario
from .validate.checker import validate
from .validate.dataset import DatasetValidator, validate_file
from .validate.rules import Violation
from .views.assertions import assert_valid
from .views.projection import (
    iso,
    to_call_json,
    to_conversation_bytes,
    to_conversation_json,
    to_media_json,
)
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
