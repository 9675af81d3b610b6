"""Which file holds which part of a section, and the model class of each part."""

from __future__ import annotations

from pydantic import BaseModel

from fascicle.model.budget import Budget

# Part name -> file name; the order is the order of the document.
PARTS: dict[str, str] = {name: f"{name}.yaml" for name in Budget.model_fields}
OPTIONAL_PARTS = frozenset({"printed", "acknowledgements"})


def part_model(name: str) -> type[BaseModel]:
    """The model class of a part."""
    annotation = Budget.model_fields[name].annotation
    model = getattr(annotation, "__args__", (annotation,))[0]
    assert isinstance(model, type) and issubclass(model, BaseModel)
    return model
