"""Rendering a Word letter template: `docxtpl` in a sandboxed Jinja environment in which a
field that does not exist is an error, not an empty space; and the text of a rendered letter,
paragraph by paragraph, for its preview.

A template is only ever rendered here. An upload is checked by rendering it against the
sample fields (`check_template`), so whatever goes wrong with it is said at upload.
"""

from __future__ import annotations

import io
import re
import zipfile
from importlib import resources

import docx
from docx.opc.exceptions import PackageNotFoundError
from docxtpl import DocxTemplate
from jinja2 import StrictUndefined, TemplateError, TemplateSyntaxError, UndefinedError
from jinja2.sandbox import SandboxedEnvironment, SecurityError

from workflows.letters import LetterKind

from .fields import sample_context

# An uploaded template may be at most this big: a letterhead, not a brochure.
MAX_TEMPLATE_BYTES = 5 * 1024 * 1024
DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
_UNDEFINED = re.compile(r"'(?:[^']*' has no attribute '|)([^']+)'(?: is undefined)?")


class TemplateProblem(Exception):
    """A template that cannot make a letter, with the reason in words a person can act on."""


def default_template(kind: LetterKind) -> bytes:
    """The template shipped with the app for `kind`."""
    return resources.files(__package__).joinpath("templates", f"{kind.value}.docx").read_bytes()


def _environment() -> SandboxedEnvironment:
    # Autoescaping keeps "&" or "<" in a name from breaking the document's XML.
    return SandboxedEnvironment(undefined=StrictUndefined, autoescape=True)


def _open(content: bytes) -> DocxTemplate:
    if not content:
        raise TemplateProblem("The file is empty")
    if len(content) > MAX_TEMPLATE_BYTES:
        raise TemplateProblem(
            f"The file is larger than {MAX_TEMPLATE_BYTES // (1024 * 1024)} MB: "
            "a letter template is usually well under 1 MB"
        )
    if not zipfile.is_zipfile(io.BytesIO(content)):
        raise TemplateProblem("The file is not a Word document (.docx)")
    try:
        template = DocxTemplate(io.BytesIO(content))
        template.init_docx()
    except (PackageNotFoundError, KeyError, ValueError, zipfile.BadZipFile) as error:
        raise TemplateProblem("The file is not a Word document (.docx)") from error
    return template


def render(content: bytes, context: dict) -> bytes:
    """The letter made from the template `content` with `context`, as `.docx` bytes; or
    `TemplateProblem` saying what in the template is wrong."""
    template = _open(content)
    try:
        template.render(context, jinja_env=_environment(), autoescape=True)
    except SecurityError as error:
        raise TemplateProblem(
            f"The template asks for something a letter may not read ({error}); use only "
            "the fields listed on the letter fields page"
        ) from error
    except UndefinedError as error:
        raise TemplateProblem(_unknown_field(str(error))) from error
    except TemplateSyntaxError as error:
        raise TemplateProblem(
            f"The template has a field or tag that is not written correctly: {error.message}"
        ) from error
    except TemplateError as error:
        raise TemplateProblem(f"The template cannot be filled in: {error}") from error
    except (ValueError, TypeError, KeyError, AttributeError) as error:
        raise TemplateProblem(f"The template cannot be filled in: {error}") from error
    out = io.BytesIO()
    template.save(out)
    return out.getvalue()


def _unknown_field(message: str) -> str:
    found = _UNDEFINED.search(message)
    name = found.group(1) if found else message
    return (
        f"The template uses a field that does not exist: “{name}”. "
        "The fields a letter can use are listed on the letter fields page"
    )


def check_template(content: bytes) -> None:
    """Raise `TemplateProblem` unless `content` renders against the sample fields into a
    document that opens."""
    paragraphs(render(content, sample_context()))


def paragraphs(letter: bytes) -> list[str]:
    """The letter's text, its letterhead first, one entry a paragraph (empty ones left out)."""
    try:
        document = docx.Document(io.BytesIO(letter))
    except (PackageNotFoundError, KeyError, ValueError, zipfile.BadZipFile) as error:
        raise TemplateProblem("The template does not make a Word document that opens") from error
    texts = []
    for section in document.sections[:1]:
        texts += [p.text for p in section.header.paragraphs]
    texts += [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            texts += [" ".join(cell.text for cell in row.cells)]
    return [text for text in texts if text.strip()]
