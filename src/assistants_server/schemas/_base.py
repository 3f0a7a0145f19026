"""Base class of every generated wire model.

Unknown fields are refused, as OpenAI refuses unknown parameters; a schema that allows extra
keys (`additionalProperties: true`, e.g. function parameters) overrides this in its own config.
"""

from pydantic import BaseModel, ConfigDict


class WireModel(BaseModel):
    model_config = ConfigDict(extra="forbid")
