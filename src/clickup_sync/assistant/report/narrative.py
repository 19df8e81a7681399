"""The report's words: a summary and recommendations, by the model or from the numbers.

The model gets the compact facts sheet (`facts.facts`) and is told to use those numbers
only; it never sees the database. When no model answers (refused, timed out, erroring), or
with ``--no-ai``, the same numbers give a plain summary and rule-based recommendations,
and the report says which of the two wrote its words.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import openai

from clickup_sync.assistant.llm import model_error, open_client
from clickup_sync.config import Settings

from .data import WeeklyData
from .facts import facts, recommendations
from .facts import summary as plain_summary

SYSTEM = (
    "You write the narrative of a weekly engineering report for a CTO. Use only the facts "
    "you are given: quote their numbers exactly, do not compute new numbers, never invent "
    "people, tasks or figures. Answer in plain Markdown with exactly two parts:\n"
    "Summary:\n<one paragraph of 3 to 5 sentences: what was delivered, time spent, how this "
    "week compares with the week before, the main risks>\n"
    "Recommendations:\n- <3 to 5 short, concrete actions, each naming the person, task or "
    "status the facts point to>")
MAX_TOKENS = 700
_HEADING = re.compile(r"^[#*_\s]*(summary|recommendations?)[*_\s]*(?::[*_\s]*(.*)|$)",
                      re.IGNORECASE)
"""A part's heading: "## Summary", "**Recommendations:**", "Summary: text…"."""
_BULLET = re.compile(r"^\s*(?:[-*•+]|\d+[.)])\s+")
_THINKING = re.compile(r"<think>.*?</think>", re.DOTALL | re.IGNORECASE)


@dataclass(slots=True)
class Narrative:
    """What the report says in words; ``model`` names who wrote it (None: the numbers),
    ``note`` why the model did not, when it did not."""

    summary: str
    recommendations: list[str] = field(default_factory=list)
    model: str | None = None
    note: str | None = None


def from_numbers(data: WeeklyData, note: str | None = None) -> Narrative:
    """The summary and recommendations computed from the numbers alone."""
    return Narrative(plain_summary(data), recommendations(data), None, note)


def parse(text: str) -> tuple[str, list[str]]:
    """Split the model's reply into its summary and its recommendations (bullets)."""
    summary: list[str] = []
    advice: list[str] = []
    part = summary
    for line in _THINKING.sub("", text).splitlines():
        heading = _HEADING.match(line)
        if heading:
            part = advice if heading.group(1).lower().startswith("rec") else summary
            line = heading.group(2) or ""
        if not line.strip():
            continue
        if part is advice:
            if _BULLET.match(line) or not advice:
                advice.append(_BULLET.sub("", line).strip())
            else:
                advice[-1] += " " + line.strip()
        else:
            summary.append(line.strip())
    return " ".join(summary).strip(), [a for a in advice if a]


async def ask_model(data: WeeklyData, settings: Settings, *,
                    timeout: float | None = None) -> Narrative:
    """Have the configured model write the narrative; fall back to the numbers' own words
    (with a note saying why) when it cannot be reached or gives nothing usable."""
    where = settings.lm_studio_base_url
    timeout = timeout or settings.assistant_timeout
    client = open_client(settings, timeout=timeout)
    try:
        reply = await client.chat.completions.create(
            model=settings.lm_studio_model, temperature=0.2, max_tokens=MAX_TOKENS,
            messages=[{"role": "system", "content": SYSTEM},
                      {"role": "user", "content": "Facts:\n" + facts(data)}])
    except openai.APITimeoutError:
        return from_numbers(data, f"no model answered at {where} within {timeout:g} s")
    except openai.APIConnectionError:
        return from_numbers(data, f"no model was reachable at {where}")
    except (openai.OpenAIError, ValueError) as exc:
        return from_numbers(data, str(model_error(exc, where, timeout)))
    finally:
        await client.close()
    text = reply.choices[0].message.content if reply.choices else None
    summary, advice = parse(text or "")
    if not summary:
        return from_numbers(data, f"the model {settings.lm_studio_model} gave no summary")
    model = reply.model or settings.lm_studio_model
    if not advice:
        return Narrative(summary, recommendations(data), model,
                         "the model gave no recommendations; these come from the numbers")
    return Narrative(summary, advice, model)


async def write(data: WeeklyData, settings: Settings | None, *,
                timeout: float | None = None) -> Narrative:
    """The narrative by the model when ``settings`` are given, else from the numbers;
    ``timeout`` (seconds a request may take) defaults to ASSISTANT_TIMEOUT."""
    if settings is None:
        return from_numbers(data, "written without a model (--no-ai)")
    return await ask_model(data, settings, timeout=timeout)
