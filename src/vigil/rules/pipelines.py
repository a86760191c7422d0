"""pySigma processing pipelines: from a sign-in rule's source fields to the normalized ``signins`` columns.

One pipeline per log source (``vigil.rules.sources``), each applied only to rules of its ``logsource``:

1. ``SignInFieldTransformation`` renames every field to its column and translates values where the
   stored value differs from the source's; a field or value without an equivalent raises
   ``SigmaTransformationError`` naming it, so that the rule is refused rather than run with a condition
   silently dropped;
2. ``AddConditionTransformation`` keeps the rule to rows of its source (``format = 'entra'``, ...).
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

from sigma.exceptions import SigmaTransformationError
from sigma.processing.conditions import LogsourceCondition, RuleProcessingCondition
from sigma.processing.pipeline import ProcessingItem, ProcessingPipeline
from sigma.processing.transformations import AddConditionTransformation
from sigma.processing.transformations.base import DetectionItemTransformation
from sigma.rule import SigmaDetection, SigmaDetectionItem
from sigma.types import (
    SigmaBool,
    SigmaCIDRExpression,
    SigmaCompareExpression,
    SigmaExists,
    SigmaFieldReference,
    SigmaNull,
    SigmaNumber,
    SigmaRegularExpression,
    SigmaString,
    SigmaType,
)

from vigil.rules.sources import LogSource, SourceField


def plain_text(value: SigmaType) -> str | None:
    """The exact text of a value without wildcards or placeholders, else None."""
    if isinstance(value, SigmaNumber):
        return str(value.number)
    if isinstance(value, SigmaBool):
        return "true" if value.boolean else "false"
    if isinstance(value, SigmaString) and not value.contains_special():
        return str(value)
    return None


@dataclass
class SignInFieldTransformation(DetectionItemTransformation):
    """Map a rule's source fields (and values where they differ) onto the columns of ``signins``."""

    source: LogSource

    def refuse(self, message: str, spec: SourceField | None = None) -> SigmaTransformationError:
        note = f" ({spec.note})" if spec is not None and spec.note else ""
        return SigmaTransformationError(message + note)

    def spec(self, name: str | None) -> SourceField:
        if name is None:
            raise self.refuse(
                "keyword searches (values without a field) are not supported: sign-ins are stored as "
                "normalized columns, not raw log lines"
            )
        spec = self.source.lookup(name)
        if spec is None:
            raise self.refuse(f"field {name!r} has no normalized equivalent in {self.source.name} sign-ins")
        return spec

    def apply_detection_item(self, detection_item: SigmaDetectionItem) -> SigmaDetection | SigmaDetectionItem:
        name = detection_item.field
        spec = self.spec(name)
        by_column: dict[str, list[SigmaType]] = {}
        for value in detection_item.value:
            column, mapped = self.map_value(str(name), spec, value)
            by_column.setdefault(column, []).append(mapped)
        if len(by_column) == 1:
            ((column, values),) = by_column.items()
            detection_item.field = column
            detection_item.value = values
            return detection_item
        return SigmaDetection(
            [
                dataclasses.replace(detection_item, field=column, value=values, auto_modifiers=False)
                for column, values in by_column.items()
            ],
            item_linking=detection_item.value_linking,
        )

    def map_value(self, name: str, spec: SourceField, value: SigmaType) -> tuple[str, SigmaType]:
        """The column and value a rule's value becomes, or a refusal naming the field and value."""
        if isinstance(value, SigmaNull | SigmaExists):
            return spec.column, value
        if isinstance(value, SigmaFieldReference):
            other = self.spec(value.field)
            if spec.values or other.values or spec.numeric != other.numeric:
                raise self.refuse(f"field {name!r} cannot be compared with field {value.field!r}")
            return spec.column, dataclasses.replace(value, field=other.column)
        text = plain_text(value)
        if text is not None and spec.values:
            found = spec.values.get(text.lower())
            if found is not None:
                column, stored = found
                return column, SigmaString(stored)
        if not spec.passthrough:
            accepted = ", ".join(sorted({k for k in spec.values}))
            shown = text if text is not None else str(value)
            raise self.refuse(
                f"value {shown!r} of field {name!r} has no normalized equivalent (accepted: {accepted})", spec
            )
        if text is not None and spec.accept is not None and not spec.accept(text.lower()):
            raise self.refuse(f"value {text!r} of field {name!r} never occurs in vigil's sign-ins", spec)
        if spec.numeric:
            return spec.column, self.numeric(name, value, text)
        if isinstance(value, SigmaCompareExpression):
            raise self.refuse(f"field {name!r} is text: numeric comparisons (lt, gt, ...) do not apply")
        if isinstance(value, SigmaCIDRExpression) and spec.column != "src_ip":
            raise self.refuse(f"field {name!r} is not an IP address: the cidr modifier does not apply")
        if isinstance(value, SigmaNumber | SigmaBool):
            return spec.column, SigmaString(str(text))
        return spec.column, value

    def numeric(self, name: str, value: SigmaType, text: str | None) -> SigmaType:
        if isinstance(value, SigmaNumber | SigmaCompareExpression):
            return value
        if text is not None and not isinstance(value, SigmaBool):
            try:
                return SigmaNumber(text)
            except ValueError:
                pass
        if isinstance(value, SigmaRegularExpression | SigmaString | SigmaBool | SigmaCIDRExpression):
            raise self.refuse(f"field {name!r} is a number: {value!s} is not")
        raise self.refuse(f"field {name!r} is a number: this modifier does not apply")


def pipeline_for(source: LogSource) -> ProcessingPipeline:
    """The pipeline of one log source: field map, then the condition that keeps its rows."""

    def condition() -> list[RuleProcessingCondition]:
        return [LogsourceCondition(product=source.product, service=s) for s in source.services]

    return ProcessingPipeline(
        name=f"vigil {source.name} sign-ins",
        priority=20,
        items=[
            ProcessingItem(
                identifier=f"vigil_{source.name}_fields",
                transformation=SignInFieldTransformation(source),
                rule_conditions=condition(),
                rule_condition_linking=any,
            ),
            ProcessingItem(
                identifier=f"vigil_{source.name}_rows",
                transformation=AddConditionTransformation(
                    {"format": source.format}, name=f"vigil_{source.name}_rows"
                ),
                rule_conditions=condition(),
                rule_condition_linking=any,
            ),
        ],
    )
