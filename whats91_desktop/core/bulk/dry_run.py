"""The dry run: every row checked with the core validator before anything is sent.

Mapping mistakes (a column that does not exist, a rate out of range, a text naming an unknown
``{column}``) concern the whole job: they raise ``ValidationError`` with the mapping field at
fault, so the pane shows them next to the mapping controls. Everything else is per row: the
number (normalised with the profile's region), the variables against the template's
components (count, empty ones, Meta's length and whitespace rules), the text limit. A row whose
number repeats an earlier row's, or is on the sender's ACTIVE blacklist, is skipped with the
reason (Whats91 would block the second anyway), never counted as a problem.
"""

from __future__ import annotations

from collections.abc import Mapping

from whats91_desktop.core.bulk.compose import placeholders, render_row
from whats91_desktop.core.bulk.models import MAX_RATE, Audience, BulkSpec, DryRunReport, RowCheck
from whats91_desktop.core.errors import ValidationError
from whats91_desktop.core.models import OutgoingMessage, Problem, TemplateInfo, TemplateMessage, TextMessage
from whats91_desktop.core.outbox import preview_of
from whats91_desktop.core.phone import format_number
from whats91_desktop.core.validation import check_message, check_template_against
from whats91_desktop.core.variables import references, resolve_text


def check_spec(audience: Audience, spec: BulkSpec, variables: Mapping[str, str]) -> BulkSpec:
    """The spec with the profile's ``{{variables}}`` put into its text; ``ValidationError``
    for mapping mistakes."""
    problems: list[Problem] = []
    columns = set(audience.columns)
    if (spec.template_name is None) == (spec.text is None):
        problems.append(Problem("message", "Choose a template or write a text (one of them)."))
    if spec.to_column not in columns:
        problems.append(
            Problem("to_column", f"There is no column {spec.to_column!r}; pick the recipients' column.")
        )
    for field, names in (
        ("param_columns", spec.param_columns),
        ("button_param_columns", spec.button_param_columns),
    ):
        for index, name in enumerate(names):
            if name not in columns:
                problems.append(Problem(f"{field}[{index}]", f"There is no column {name!r}."))
    if spec.header_media_column and spec.header_media_column not in columns:
        problems.append(Problem("header_media_column", f"There is no column {spec.header_media_column!r}."))
    if spec.rate is not None and not 0 < spec.rate <= MAX_RATE:
        problems.append(
            Problem("rate", f"The rate must be more than 0 and at most {MAX_RATE:g} messages a second.")
        )
    text = spec.text
    if text is not None:
        undefined = [name for name in references(text) if name not in variables]
        if undefined:
            problems.append(Problem("text", f"The profile has no variable {{{{{undefined[0]}}}}}."))
        text = resolve_text(text, variables)
        unknown = [name for name in placeholders(text) if name not in columns]
        if unknown:
            problems.append(Problem("text", f"The text uses {{{unknown[0]}}}, which is not a column."))
    if problems:
        raise ValidationError(problems)
    if text == spec.text:
        return spec
    from dataclasses import replace

    return replace(spec, text=text)


def check_audience(
    audience: Audience,
    spec: BulkSpec,
    *,
    region: str,
    template: TemplateInfo | None,
    blacklist: Mapping[str, str | None],
    variables: Mapping[str, str] | None = None,
    notes: tuple[str, ...] = (),
) -> DryRunReport:
    """Every row's verdict. ``blacklist`` maps a blacklisted number's digits to its reason;
    ``template`` None skips the checks that need the template's components."""
    spec = check_spec(audience, spec, variables or {})
    first_line: dict[str, int] = {}
    checks: list[RowCheck] = []
    for index, row in enumerate(audience.rows):
        checked = check_message(render_row(audience, spec, row), default_region=region, check_files=False)
        message = checked.message
        problems = list(checked.problems)
        if template is not None and isinstance(message, TemplateMessage) and not problems:
            problems.extend(check_template_against(template, message))
        problems = [Problem(_column_of(spec, p.field), p.message) for p in problems]
        recipient = message.to
        skip: str | None = None
        if not any(p.field == spec.to_column for p in problems):
            earlier = first_line.setdefault(recipient, row.line)
            if earlier != row.line:
                skip = f"Same number as line {earlier}: it gets the message once."
            elif recipient in blacklist:
                reason = blacklist[recipient]
                skip = (
                    "On the sender's blacklist"
                    + (f" ({reason})" if reason else "")
                    + ": Whats91 would block it."
                )
        checks.append(
            RowCheck(index, row.line, recipient, None if problems else message, tuple(problems), skip)
        )
    sendable = [c for c in checks if c.sendable]
    rate = spec.rate
    eta = len(sendable) / rate if rate else 0.0
    sample = sendable[len(sendable) // 2] if sendable else None
    return DryRunReport(
        audience=audience,
        spec=spec,
        checks=tuple(checks),
        eta_seconds=eta,
        preview_index=sample.index if sample else None,
        preview_text=rendered_preview(sample.message, template) if sample and sample.message else "",
        notes=notes,
    )


def rendered_preview(message: OutgoingMessage, template: TemplateInfo | None) -> str:
    """What the recipient reads: the text, or the template's body with its variables put in."""
    if isinstance(message, TextMessage):
        return message.text
    if isinstance(message, TemplateMessage) and template is not None and template.body_text:
        body = template.body_text
        for number, value in enumerate(message.parameters, start=1):
            body = body.replace(f"{{{{{number}}}}}", value)
        parts = (
            [f"[{template.header_type.lower()}: {message.media_url}]"]
            if message.media_url and template.header_type
            else []
        )
        if template.header_text:
            parts.append(template.header_text)
        parts.append(body)
        if template.footer_text:
            parts.append(template.footer_text)
        parts.extend(f"[{b.text}]" for b in template.buttons if b.text)
        return "\n".join(parts)
    return f"To {format_number(message.to)}: {preview_of(message)}"


def _column_of(spec: BulkSpec, field: str) -> str:
    """The column a validation field comes from, so a problem names what the user mapped."""
    if field in ("to", "to_column"):
        return spec.to_column
    for prefix, columns in (
        ("parameters", spec.param_columns),
        ("button_parameters", spec.button_param_columns),
    ):
        if field.startswith(prefix + "["):
            index = int(field[len(prefix) + 1 : field.index("]")])
            return columns[index] if index < len(columns) else field
    if field.startswith("media") and spec.header_media_column:
        return spec.header_media_column
    return field
