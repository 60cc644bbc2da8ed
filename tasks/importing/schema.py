"""The bundle's JSON Schema as `groupbill schema bundle` publishes it: the model's, plus what config adds."""

from typing import Any

from config.reference_data import licence_titles
from models.bundle import Bundle
from models.enums import Credential


def bundle_schema() -> dict[str, Any]:
    """The JSON Schema of the import bundle; a credential may also be one of the licence titles config maps."""
    schema = Bundle.model_json_schema()
    credential = schema["$defs"]["ProviderRecord"]["properties"]["credential"]
    credential.pop("$ref", None)
    credential.update(type="string", enum=[c.value for c in Credential] + sorted(licence_titles()))
    return schema


def validation_context() -> dict[str, Any]:
    """What the bundle model needs from settings and config to read a bundle (see models/bundle.py)."""
    from config.settings import get_settings

    return {"zone": get_settings().timezone, "licence_titles": licence_titles()}
