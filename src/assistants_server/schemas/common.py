"""Annotated types for rules the OpenAPI documents state only in prose."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import AfterValidator, Field, StringConstraints
from pydantic_core import PydanticCustomError

from assistants_server.schemas._generated import v1, v2

ApiVersion = Literal["v1", "v2"]

METADATA_MAX_PAIRS = 16
METADATA_MAX_KEY = 64
METADATA_MAX_VALUE = 512
MAX_TOOLS = 128


def _check_metadata(value: dict[str, Any] | None) -> dict[str, Any] | None:
    if value is None:
        return None
    if len(value) > METADATA_MAX_PAIRS:
        raise PydanticCustomError(
            "openai_metadata",
            "Invalid 'metadata': too many properties. Expected an object with at most "
            f"{METADATA_MAX_PAIRS} properties, but got an object with {len(value)} properties "
            "instead.",
        )
    for key, item in value.items():
        if len(key) > METADATA_MAX_KEY:
            raise PydanticCustomError(
                "openai_metadata",
                f"Invalid 'metadata': key '{key[:80]}' too long. Expected a key with maximum "
                f"length {METADATA_MAX_KEY}, but got a key with length {len(key)} instead.",
            )
        if not isinstance(item, str):
            raise PydanticCustomError(
                "openai_metadata",
                f"Invalid type for 'metadata.{key}': expected a string, but got "
                f"{type(item).__name__} instead.",
            )
        if len(item) > METADATA_MAX_VALUE:
            raise PydanticCustomError(
                "openai_metadata",
                f"Invalid 'metadata.{key}': string too long. Expected a string with maximum "
                f"length {METADATA_MAX_VALUE}, but got a string with length {len(item)} "
                "instead.",
            )
    return value


Metadata = Annotated[dict[str, Any] | None, AfterValidator(_check_metadata)]

FunctionName = Annotated[str, StringConstraints(pattern=r"^[a-zA-Z0-9_-]{1,64}$")]


class FunctionDefinitionV1(v1.FunctionObject):
    name: FunctionName


class FunctionDefinitionV2(v2.FunctionObject):
    name: FunctionName


class FunctionToolV1(v1.AssistantToolsFunction):
    function: FunctionDefinitionV1


class FunctionToolV2(v2.AssistantToolsFunction):
    function: FunctionDefinitionV2


ToolV1 = Annotated[
    v1.AssistantToolsCode | v1.AssistantToolsRetrieval | FunctionToolV1,
    Field(discriminator="type"),
]
ToolV2 = Annotated[
    v2.AssistantToolsCode | v2.AssistantToolsFileSearch | FunctionToolV2,
    Field(discriminator="type"),
]
ToolsV1 = Annotated[list[ToolV1], Field(max_length=MAX_TOOLS)]
ToolsV2 = Annotated[list[ToolV2], Field(max_length=MAX_TOOLS)]


def stored_tools(tools: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Tools as stored: v1's `retrieval` is v2's `file_search`."""
    return [{"type": "file_search"} if tool["type"] == "retrieval" else tool for tool in tools]


def v1_tools(tools: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Stored tools as a v1 client knows them: `file_search` shows as `retrieval`."""
    shown: list[dict[str, Any]] = []
    for tool in tools:
        if tool["type"] == "file_search":
            shown.append({"type": "retrieval"})
        elif tool["type"] == "function":
            function = {key: value for key, value in tool["function"].items() if key != "strict"}
            shown.append({"type": "function", "function": function})
        else:
            shown.append(tool)
    return shown
