"""Turn chat messages into prompt segments without letting user text become markup.

Known formats (``gemma``, ``chatml``, ``llama3``) are written here; their markers
are the only segments tokenized with special tokens enabled. A model that is not
in the manifest may carry a Jinja chat template in its GGUF metadata (``gguf``):
it is rendered only in an immutable sandbox, with each message's content
replaced by a unique placeholder, and the rendered text is then cut at the
placeholders so the real content goes back in as plain text. Base models
(``none``) get a plain completion prompt.
"""

from __future__ import annotations

import secrets
from collections.abc import Sequence

from lantern.domain.errors import ModelError
from lantern.llm.protocol import Segment

Message = dict  # {"role": "system" | "user" | "assistant", "content": str}


def _check(messages: Sequence[Message]) -> None:
    if not messages:
        raise ModelError("No messages to send to the model.")
    for m in messages:
        if m.get("role") not in ("system", "user", "assistant") or not isinstance(
                m.get("content"), str):
            raise ModelError("A chat message needs a role (system, user, assistant) and text.")


def _plain(messages: Sequence[Message]) -> list[Segment]:
    labels = {"system": "", "user": "Question: ", "assistant": "Answer: "}
    text = "\n\n".join(labels[m["role"]] + m["content"] for m in messages)
    return [Segment(text + "\n\nAnswer:")]


def _gemma(messages: Sequence[Message]) -> list[Segment]:
    out: list[Segment] = []
    system = ""
    for m in messages:
        if m["role"] == "system":
            system += m["content"] + "\n\n"
            continue
        role = "model" if m["role"] == "assistant" else "user"
        out.append(Segment(f"<start_of_turn>{role}\n", special=True))
        content = m["content"]
        if role == "user" and system:
            content, system = system + content, ""
        out.append(Segment(content))
        out.append(Segment("<end_of_turn>\n", special=True))
    out.append(Segment("<start_of_turn>model\n", special=True))
    return out


def _chatml(messages: Sequence[Message]) -> list[Segment]:
    out: list[Segment] = []
    for m in messages:
        out.append(Segment(f"<|im_start|>{m['role']}\n", special=True))
        out.append(Segment(m["content"]))
        out.append(Segment("<|im_end|>\n", special=True))
    out.append(Segment("<|im_start|>assistant\n", special=True))
    return out


def _llama3(messages: Sequence[Message]) -> list[Segment]:
    out: list[Segment] = []
    for m in messages:
        out.append(Segment(f"<|start_header_id|>{m['role']}<|end_header_id|>\n\n", special=True))
        out.append(Segment(m["content"]))
        out.append(Segment("<|eot_id|>", special=True))
    out.append(Segment("<|start_header_id|>assistant<|end_header_id|>\n\n", special=True))
    return out


def render_gguf_template(template: str, messages: Sequence[Message]) -> list[Segment]:
    """Render a GGUF chat template in a sandbox; user content stays plain text."""
    from jinja2 import TemplateError
    from jinja2.sandbox import ImmutableSandboxedEnvironment

    tag = secrets.token_hex(8)
    placeholders = {f"\ue000LANTERN{tag}{i}\ue001": m["content"] for i, m in enumerate(messages)}
    masked = [{"role": m["role"], "content": ph}
              for ph, m in zip(placeholders, messages, strict=True)]

    def raise_exception(message: str) -> None:
        raise ModelError("The model's chat template refused these messages.")

    env = ImmutableSandboxedEnvironment(trim_blocks=True, lstrip_blocks=True)
    env.globals["raise_exception"] = raise_exception
    try:
        rendered = env.from_string(template).render(
            messages=masked, add_generation_prompt=True, bos_token="", eos_token="")
    except (TemplateError, TypeError, ValueError, RecursionError):
        raise ModelError("The model's chat template could not be used.") from None
    segments: list[Segment] = []
    rest = rendered
    for ph, content in placeholders.items():
        idx = rest.find(ph)
        if idx < 0:
            raise ModelError("The model's chat template dropped a message; "
                             "add this model to the manifest with a known chat format.")
        if idx:
            segments.append(Segment(rest[:idx], special=True))
        segments.append(Segment(content))
        rest = rest[idx + len(ph):]
    if rest:
        segments.append(Segment(rest, special=True))
    return segments


def render_messages(messages: Sequence[Message], *, chat_format: str,
                    gguf_template: str | None = None) -> list[Segment]:
    _check(messages)
    if chat_format == "gemma":
        return _gemma(messages)
    if chat_format == "chatml":
        return _chatml(messages)
    if chat_format == "llama3":
        return _llama3(messages)
    if chat_format == "gguf" and gguf_template:
        return render_gguf_template(gguf_template, messages)
    return _plain(messages)
