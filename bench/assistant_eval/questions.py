"""The management questions, each with the tools that answer it, their expected arguments,
and the SQL of the facts a right answer states.

``tools`` maps every acceptable tool to the arguments it should get (a subset; Space, Folder,
List and project are one scope and interchangeable). ``answer`` is one query returning one
row; each of its values must appear in the answer (names by text, numbers by value). Texts
use ``{person}``, ``{space}``… filled by `facts.PICKS`. Writes have no answer: the evaluation
never confirms them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from .facts import (
    DONE_AT,
    HOURS,
    LAST_30,
    LAST_WEEK,
    LIVE,
    ON_COUNTED_TASK,
    OPEN,
    PEOPLE,
    TODAY,
    WEEK,
    local,
)


@dataclass(frozen=True)
class Question:
    """One question of the evaluation."""

    id: str
    text: str
    tools: dict[str, dict[str, Any]]
    answer: str | None = None
    original: bool = False
    tags: tuple[str, ...] = field(default=())


def _in(kind: str) -> str:
    """Tasks ``t`` in the {space}/{folder}/{list} the question names (by its picked name)."""
    table = {"space": "spaces", "folder": "folders", "list": "lists"}[kind]
    return (f"t.{kind}_id IN (SELECT id FROM {table} WHERE lower(name) = lower(%({kind})s) "
            "AND NOT is_deleted)")


def _count(where: str) -> str:
    return f"SELECT count(*) FROM clickup_tasks t WHERE {LIVE} AND {where}"


def _person_open(extra: str = "true") -> str:
    return (f"SELECT count(*) FROM {PEOPLE} JOIN clickup_tasks t ON t.id = a.task_id "
            f"WHERE p.name = %(person)s AND {LIVE} AND {OPEN} AND {extra}")


_OVERDUE = f"{OPEN} AND t.due_date < now()"
_TOP_OVERDUE = (f"SELECT p.name, count(*) FROM {PEOPLE} JOIN clickup_tasks t ON t.id = a.task_id "
                f"WHERE {LIVE} AND {_OVERDUE} GROUP BY p.name ORDER BY 2 DESC, 1 LIMIT 1")
_TOP_OPEN = (f"SELECT p.name, count(*) FROM {PEOPLE} JOIN clickup_tasks t ON t.id = a.task_id "
             f"WHERE {LIVE} AND {OPEN} GROUP BY p.name ORDER BY 2 DESC, 1 LIMIT 1")
_HOURS_30 = f"SELECT {HOURS} FROM time_entries e WHERE {ON_COUNTED_TASK} AND {LAST_30}"
_IN_TASKS = f"JOIN clickup_tasks t ON t.id = e.task_id AND {LIVE}"
_PERCENT_DONE = ("round(100.0 * count(*) FILTER (WHERE t.status_type IN ('done', 'closed')) "
                 "/ nullif(count(*), 0), 1)")
_DONE_LAST_WEEK = (f"{DONE_AT} >= {local(f'{WEEK} - 7')} AND {DONE_AT} < {local(WEEK)}")
_BLOCKED_STATUS = f"{OPEN} AND t.status ~* '(block|wait|hold|stuck|pause|pending)'"

QUESTIONS: list[Question] = [
    # The original tool's four example questions.
    Question("original_in_progress", "Show me all tasks in progress across all spaces",
             {"get_tasks": {"status": "in progress"}},
             _count("t.status = 'in progress'"), original=True),
    Question("original_cto_report", "Generate a weekly report for the CTO showing task "
             "distribution, time spent, bottlenecks, and team performance",
             {"get_weekly_report": {}},
             f"SELECT {HOURS} FROM time_entries e WHERE {ON_COUNTED_TASK} AND {LAST_WEEK}",
             original=True),
    Question("original_most_overdue", "Which employee has the most overdue tasks and why?",
             {"get_overdue_tasks": {}, "get_workload": {}}, _TOP_OVERDUE, original=True),
    Question("original_time_by_assignee",
             "Get time tracking report for {folder} project grouped by assignee",
             {"get_project_time_tracking": {"project": "{folder}", "group_by": "person"},
              "get_time_tracking_report": {"folder": "{folder}", "group_by": "person"}},
             f"""SELECT p.name, {HOURS} FROM time_entries e {_IN_TASKS}
                  JOIN employees p ON p.clickup_user_id = e.user_id
                 WHERE NOT e.is_deleted AND {LAST_30} AND {_in('folder')}
                 GROUP BY p.name ORDER BY 2 DESC LIMIT 1""", original=True),
    # Overdue and risk.
    Question("overdue_count", "How many tasks are overdue right now?",
             {"get_overdue_tasks": {}}, _count(_OVERDUE)),
    Question("overdue_space", "What's late in {space}?",
             {"get_overdue_tasks": {"space": "{space}"}},
             _count(f"{_OVERDUE} AND {_in('space')}")),
    Question("overdue_person", "Which of {person}'s tasks are past their due date?",
             {"get_overdue_tasks": {"person": "{person}"},
              "get_person_summary": {"person": "{person}"}},
             _person_open("t.due_date < now()")),
    Question("due_soon", "Which tasks are due in the next 3 days?",
             {"get_at_risk_tasks": {"days": 3}},
             _count(f"{OPEN} AND t.due_date >= now() AND t.due_date < now() + interval '3 days'")),
    Question("stale", "Which open tasks has nobody touched for 14 days?",
             {"get_stale_tasks": {"days": 14}},
             _count(f"{OPEN} AND t.date_updated < now() - interval '14 days'")),
    Question("blocked_folder", "What is blocked in {folder} and why?",
             {"get_project_blockers": {"project": "{folder}"},
              "get_project_summary": {"project": "{folder}"}},
             _count(f"{_BLOCKED_STATUS} AND {_in('folder')}")),
    Question("blocked_tasks", "Show me the tasks in blocked status",
             {"get_tasks": {"status": "blocked"}}, _count("t.status = 'blocked'")),
    # People and workload.
    Question("busiest", "Who is the busiest person on the team?",
             {"get_workload": {}}, _TOP_OPEN),
    Question("open_person", "How many open tasks does {person} have?",
             {"get_person_summary": {"person": "{person}"},
              "get_workload": {}, "get_tasks": {"assignee": "{person}"}},
             _person_open()),
    Question("person_plate", "What is {person} working on at the moment?",
             {"get_person_summary": {"person": "{person}"},
              "get_tasks": {"assignee": "{person}"}},
             _person_open("t.status_type = 'custom'")),
    Question("person_summary", "Give me a summary of {person}'s situation",
             {"get_person_summary": {"person": "{person}"}},
             f"SELECT ({_person_open()}), ({_person_open('t.due_date < now()')})"),
    Question("team_workload_folder", "Who carries the most open work in {folder}?",
             {"get_project_team_workload": {"project": "{folder}"},
              "get_workload": {"folder": "{folder}"}},
             f"""SELECT p.name FROM {PEOPLE} JOIN clickup_tasks t ON t.id = a.task_id
                  WHERE {LIVE} AND {OPEN} AND {_in('folder')}
                  GROUP BY p.name ORDER BY count(*) DESC, p.name LIMIT 1"""),
    Question("comments", "Who has the most unresolved comments assigned to them?",
             {"get_assigned_comments": {}},
             f"""SELECT p.name, count(*) FROM comments c
                   JOIN employees p ON p.clickup_user_id = c.assignee_id
                   JOIN clickup_tasks t ON t.id = c.task_id AND {LIVE}
                  WHERE NOT c.resolved AND NOT c.is_deleted
                  GROUP BY p.name ORDER BY 2 DESC, 1 LIMIT 1"""),
    Question("inactive", "Who holds open tasks but has shown no activity in the last 7 days?",
             {"get_inactive_assignees": {"days": 7}},
             f"""SELECT count(DISTINCT a.user_id) FROM task_assignees a
                   JOIN clickup_tasks t ON t.id = a.task_id AND {LIVE} AND {OPEN}
                  WHERE NOT EXISTS (SELECT 1 FROM time_entries e WHERE e.user_id = a.user_id
                          AND NOT e.is_deleted AND e.start_at >= now() - interval '7 days')
                    AND NOT EXISTS (SELECT 1 FROM comments c WHERE c.user_id = a.user_id
                          AND NOT c.is_deleted AND c.date >= now() - interval '7 days')
                    AND NOT EXISTS (SELECT 1 FROM clickup_tasks n WHERE n.creator_id =
                          a.user_id AND n.date_created >= now() - interval '7 days')"""),
    # Time.
    Question("hours_team", "How many hours did the team log in the last 30 days?",
             {"get_time_tracking_report": {}}, _HOURS_30),
    Question("hours_person", "How many hours has {person} tracked in the last 30 days?",
             {"get_time_tracking_report": {"person": "{person}"}},
             f"""SELECT {HOURS} FROM time_entries e JOIN employees p
                   ON p.clickup_user_id = e.user_id AND p.name = %(person)s
                  WHERE {ON_COUNTED_TASK} AND {LAST_30}"""),
    Question("hours_by_space", "Break down the hours tracked per Space",
             {"get_time_tracking_report": {"group_by": "space"}},
             f"""SELECT s.name, {HOURS} FROM time_entries e {_IN_TASKS}
                   JOIN spaces s ON s.id = t.space_id
                  WHERE NOT e.is_deleted AND {LAST_30} GROUP BY s.name ORDER BY 2 DESC LIMIT 1"""),
    Question("hours_weekly", "How many hours were logged each week this past month?",
             {"get_time_tracking_report": {"group_by": "week"}}, _HOURS_30),
    Question("untracked", "Which tasks in progress have no time logged at all?",
             {"get_untracked_tasks": {}},
             f"""{_count("t.status_type = 'custom'")} AND NOT EXISTS (
                   SELECT 1 FROM clickup_tasks s JOIN time_entries e ON e.task_id = s.id
                    AND NOT e.is_deleted
                    WHERE s.id = t.id OR s.top_level_parent_id = t.id OR s.parent_id = t.id)
                   AND NOT coalesce((t.raw ->> 'custom_item_id') = '1', false)"""),
    Question("estimates", "How accurate have our time estimates been?",
             {"get_estimation_accuracy": {}},
             f"""{_count("t.status_type IN ('done', 'closed') AND t.time_estimate_ms > 0")}
                   AND {DONE_AT} >= {local(f'{TODAY} - 89')} AND EXISTS (
                   SELECT 1 FROM clickup_tasks s JOIN time_entries e ON e.task_id = s.id
                    AND NOT e.is_deleted
                    WHERE s.id = t.id OR s.top_level_parent_id = t.id OR s.parent_id = t.id)"""),
    Question("task_time", "Who tracked time on task {task_id}, against its estimate?",
             {"get_task_time_breakdown": {"task_id": "{task_id}"}},
             """SELECT p.name FROM time_entries e JOIN employees p
                  ON p.clickup_user_id = e.user_id
                 WHERE e.task_id = %(task_id)s AND NOT e.is_deleted
                 GROUP BY p.name ORDER BY sum(e.duration_ms) DESC, p.name LIMIT 1"""),
    # Status, progress and flow.
    Question("status_space", "Show me the status breakdown for {space}",
             {"get_status_summary": {"space": "{space}"},
              "get_project_statuses": {"project": "{space}"},
              "get_project_summary": {"space": "{space}"}},
             f"SELECT count(*), {_PERCENT_DONE} FROM clickup_tasks t "
             f"WHERE {LIVE} AND {_in('space')}"),
    Question("done_share_folder", "What share of the work in {folder} is done?",
             {"get_status_summary": {"folder": "{folder}"},
              "get_project_status": {"project": "{folder}"},
              "get_project_summary": {"folder": "{folder}"}},
             f"SELECT {_PERCENT_DONE} FROM clickup_tasks t WHERE {LIVE} AND {_in('folder')}"),
    Question("list_progress", "How far along is the {list} list?",
             {"get_list_progress": {"list": "{list}"}, "get_list": {"list": "{list}"},
              "get_status_summary": {"list": "{list}"}},
             f"SELECT {_PERCENT_DONE} FROM clickup_tasks t WHERE {LIVE} AND {_in('list')}"),
    Question("throughput", "How many tasks did we finish per week lately, and is it trending?",
             {"get_throughput": {}},
             _count(f"t.status_type IN ('done', 'closed') AND {DONE_AT} >= "
                    f"{local(f'{WEEK} - 49')}")),
    Question("this_week_done", "How many tasks have we completed so far this week?",
             {"get_throughput": {}, "get_weekly_report": {}},
             _count(f"t.status_type IN ('done', 'closed') AND {DONE_AT} >= {local(WEEK)}")),
    Question("lead_time", "How long does it take us to finish a task, from creation to done?",
             {"get_lead_cycle_time": {}},
             _count(f"t.status_type IN ('done', 'closed') AND {DONE_AT} >= "
                    f"{local(f'{TODAY} - 90')}")),
    Question("bottlenecks", "Where does work pile up in our process?",
             {"get_bottlenecks": {}}, _count("t.status_type = 'custom'")),
    Question("aging", "Which open tasks have been sitting in the same status the longest?",
             {"get_aging": {}}, _count(OPEN)),
    Question("progress_since", "What got done since {since}?",
             {"get_progress_since": {"since": "{since}"}},
             _count(f"t.status_type IN ('done', 'closed') AND {DONE_AT} >= {local('%(since)s')}")),
    Question("last_week_compare", "How did last week go compared with the week before?",
             {"get_weekly_report": {}}, _count(f"t.status_type IN ('done', 'closed') AND "
                                              f"{_DONE_LAST_WEEK}")),
    Question("digest_folder", "What happened in {folder} last week?",
             {"get_project_weekly_digest": {"project": "{folder}"},
              "get_weekly_report": {"folder": "{folder}"}},
             _count(f"t.status_type IN ('done', 'closed') AND {_DONE_LAST_WEEK} "
                    f"AND {_in('folder')}")),
    Question("overview_folder", "Give me an overview of the {folder} project",
             {"get_project_summary": {"project": "{folder}"},
              "get_project_status": {"project": "{folder}"}},
             f"SELECT count(*), {_PERCENT_DONE} FROM clickup_tasks t "
             f"WHERE {LIVE} AND {_in('folder')}"),
    Question("health_folder", "How healthy is {folder}?",
             {"get_project_health_score": {"project": "{folder}"},
              "get_project_summary": {"project": "{folder}"}},
             _count(f"{_OVERDUE} AND {_in('folder')}")),
    # Structure and tasks.
    Question("spaces", "Which Spaces do we have?", {"get_spaces": {}, "list_spaces": {}},
             "SELECT string_agg(name, ', ' ORDER BY name) FROM spaces "
             "WHERE NOT is_deleted AND NOT archived"),
    Question("folders_in_space", "Which folders are in {space}?",
             {"get_folders": {"space": "{space}"}, "get_space": {"space": "{space}"}},
             """SELECT string_agg(DISTINCT f.name, ', ') FROM folders f JOIN spaces s
                  ON s.id = f.space_id AND lower(s.name) = lower(%(space)s)
                 WHERE NOT f.is_deleted AND NOT f.archived"""),
    Question("workflow_list", "What statuses does the {list} list use?",
             {"get_list_defined_statuses": {"list": "{list}"}, "get_list": {"list": "{list}"}},
             """SELECT string_agg(ls.status, ', ' ORDER BY ls.orderindex) FROM list_statuses ls
                  JOIN lists l ON l.id = ls.list_id AND lower(l.name) = lower(%(list)s)
                 WHERE NOT l.is_deleted"""),
    Question("workspace_size", "How big is our workspace?", {"get_workspaces": {}},
             _count("true")),
    Question("task_status", "What is the status of task {task_id}?",
             {"get_task": {"task_id": "{task_id}"}},
             "SELECT status FROM clickup_tasks WHERE id = %(task_id)s"),
    Question("search", "Find the tasks about {word}",
             {"search_tasks": {"query": "{word}"}},
             f"SELECT t.name FROM clickup_tasks t WHERE {LIVE} AND {OPEN} AND lower(t.name) "
             "LIKE '%%' || %(word)s || '%%' ORDER BY t.name LIMIT 1"),
    Question("sync_fresh", "How fresh is the data, when did the last sync run?",
             {"get_sync_status": {}}, "SELECT count(*) FROM clickup_tasks WHERE NOT is_deleted "
             "AND NOT archived"),
    # Writes: routing and tool choice only; never confirmed, so no answer.
    Question("create_task", "Create a task called 'Write release notes' in the {list} list",
             {"create_task": {"list": "{list}", "name": "Write release notes"}}),
    Question("update_task", "Change the status of task {task_id} to done",
             {"update_task": {"task_id": "{task_id}", "status": "done"}}),
]
