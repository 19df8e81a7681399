-- clickup-sync schema, version 1.
--
-- Normalized tables mirror ClickUp (ids are ClickUp's: text, users bigint), with the raw JSON
-- kept beside each record. History tables (task_status_history, task_snapshots, sync_runs)
-- only grow. The original tool's shape is served by the `tasks` and `daily_syncs` views so
-- its users' queries keep working.

CREATE TABLE app_settings (
    key   text PRIMARY KEY,
    value text NOT NULL
);
INSERT INTO app_settings (key, value) VALUES ('timezone', 'UTC');

CREATE TABLE workspaces (
    id         text PRIMARY KEY,
    name       text NOT NULL,
    color      text,
    raw        jsonb NOT NULL,
    synced_at  timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE employees (
    id               uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    clickup_user_id  bigint NOT NULL UNIQUE,
    name             text,
    email            text,
    role             text,          -- owner / admin / member / guest (the original's values)
    role_id          smallint,      -- ClickUp's 1..4
    initials         text,
    color            text,
    timezone         text,
    last_active      timestamptz,
    date_joined      timestamptz,
    is_active        boolean NOT NULL DEFAULT true,  -- false once gone from the Workspace
    raw              jsonb NOT NULL,
    created_at       timestamptz NOT NULL DEFAULT now(),
    updated_at       timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE spaces (
    id            text PRIMARY KEY,
    workspace_id  text NOT NULL,
    name          text NOT NULL,
    color         text,
    private       boolean NOT NULL DEFAULT false,
    archived      boolean NOT NULL DEFAULT false,
    is_deleted    boolean NOT NULL DEFAULT false,
    raw           jsonb NOT NULL,
    synced_at     timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE folders (
    id                 text PRIMARY KEY,
    space_id           text NOT NULL,
    name               text NOT NULL,
    orderindex         integer,
    hidden             boolean NOT NULL DEFAULT false,
    archived           boolean NOT NULL DEFAULT false,
    override_statuses  boolean NOT NULL DEFAULT false,
    is_deleted         boolean NOT NULL DEFAULT false,
    raw                jsonb NOT NULL,
    synced_at          timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX folders_space_idx ON folders (space_id);

CREATE TABLE lists (
    id                 text PRIMARY KEY,
    space_id           text NOT NULL,
    folder_id          text,          -- NULL for a folderless List
    name               text NOT NULL,
    orderindex         integer,
    content            text,
    archived           boolean NOT NULL DEFAULT false,
    override_statuses  boolean NOT NULL DEFAULT false,
    priority           smallint,
    assignee_id        bigint,
    start_date         timestamptz,
    due_date           timestamptz,
    task_count         integer,
    is_deleted         boolean NOT NULL DEFAULT false,
    raw                jsonb NOT NULL,
    synced_at          timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX lists_space_idx ON lists (space_id);
CREATE INDEX lists_folder_idx ON lists (folder_id);

-- The workflow each List uses (its own, its Folder's or its Space's), resolved at sync time.
CREATE TABLE list_statuses (
    list_id     text NOT NULL,
    status      text NOT NULL,
    type        text NOT NULL,      -- open / custom / done / closed
    color       text,
    orderindex  integer NOT NULL,
    status_id   text,
    PRIMARY KEY (list_id, status)
);

CREATE TABLE custom_fields (
    id                text PRIMARY KEY,
    name              text NOT NULL,
    type              text NOT NULL,
    type_config       jsonb NOT NULL DEFAULT '{}',
    hide_from_guests  boolean,
    required          boolean,
    date_created      timestamptz,
    synced_at         timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE clickup_tasks (
    id                   text PRIMARY KEY,
    custom_id            text,
    custom_item_id       integer,
    name                 text NOT NULL,
    description          text,
    status               text NOT NULL,
    status_type          text,
    status_color         text,
    status_orderindex    integer,
    orderindex           numeric,
    list_id              text NOT NULL,
    folder_id            text,
    space_id             text,
    parent_id            text,
    top_level_parent_id  text,
    creator_id           bigint,
    priority             smallint,     -- 1 urgent .. 4 low
    date_created         timestamptz,
    date_updated         timestamptz,
    date_closed          timestamptz,
    date_done            timestamptz,
    start_date           timestamptz,
    due_date             timestamptz,
    time_estimate_ms     bigint,
    time_spent_ms        bigint,       -- as ClickUp reports it (rolled up per its settings)
    points               numeric,
    archived             boolean NOT NULL DEFAULT false,
    url                  text,
    is_deleted           boolean NOT NULL DEFAULT false,
    deleted_at           timestamptz,
    raw                  jsonb NOT NULL,
    first_synced_at      timestamptz NOT NULL DEFAULT now(),
    synced_at            timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX clickup_tasks_list_idx ON clickup_tasks (list_id);
CREATE INDEX clickup_tasks_space_idx ON clickup_tasks (space_id);
CREATE INDEX clickup_tasks_folder_idx ON clickup_tasks (folder_id);
CREATE INDEX clickup_tasks_parent_idx ON clickup_tasks (parent_id);
CREATE INDEX clickup_tasks_updated_idx ON clickup_tasks (date_updated DESC);
CREATE INDEX clickup_tasks_due_idx ON clickup_tasks (due_date) WHERE NOT is_deleted;
CREATE INDEX clickup_tasks_status_idx ON clickup_tasks (status_type, status);

CREATE TABLE task_assignees (
    task_id  text NOT NULL,
    user_id  bigint NOT NULL,
    PRIMARY KEY (task_id, user_id)
);
CREATE INDEX task_assignees_user_idx ON task_assignees (user_id);

CREATE TABLE task_watchers (
    task_id  text NOT NULL,
    user_id  bigint NOT NULL,
    PRIMARY KEY (task_id, user_id)
);

CREATE TABLE task_tags (
    task_id  text NOT NULL,
    name     text NOT NULL,
    tag_fg   text,
    tag_bg   text,
    PRIMARY KEY (task_id, name)
);
CREATE INDEX task_tags_name_idx ON task_tags (name);

-- Extra Lists of a task (Tasks in Multiple Lists), besides its home list_id.
CREATE TABLE task_locations (
    task_id  text NOT NULL,
    list_id  text NOT NULL,
    PRIMARY KEY (task_id, list_id)
);
CREATE INDEX task_locations_list_idx ON task_locations (list_id);

CREATE TABLE task_custom_values (
    task_id       text NOT NULL,
    field_id      text NOT NULL,
    value         jsonb NOT NULL,   -- as ClickUp sent it
    value_text    text,             -- typed projections for queries
    value_number  numeric,
    value_date    timestamptz,
    value_bool    boolean,
    PRIMARY KEY (task_id, field_id)
);
CREATE INDEX task_custom_values_field_idx ON task_custom_values (field_id);

-- task_id waits on depends_on (ClickUp shows the edge on both tasks).
CREATE TABLE task_dependencies (
    task_id     text NOT NULL,
    depends_on  text NOT NULL,
    PRIMARY KEY (task_id, depends_on)
);
CREATE INDEX task_dependencies_on_idx ON task_dependencies (depends_on);

CREATE TABLE task_links (
    task_id  text NOT NULL,
    link_id  text NOT NULL,
    PRIMARY KEY (task_id, link_id)
);

CREATE TABLE checklists (
    id          text PRIMARY KEY,
    task_id     text NOT NULL,
    name        text NOT NULL,
    orderindex  integer,
    resolved    integer,
    unresolved  integer
);
CREATE INDEX checklists_task_idx ON checklists (task_id);

CREATE TABLE checklist_items (
    id            text PRIMARY KEY,
    checklist_id  text NOT NULL,
    task_id       text NOT NULL,
    name          text NOT NULL,
    orderindex    integer,
    resolved      boolean NOT NULL DEFAULT false,
    assignee_id   bigint,
    parent_id     text,
    date_created  timestamptz
);
CREATE INDEX checklist_items_task_idx ON checklist_items (task_id);

-- One row per tracked interval, per user (never merged across users).
CREATE TABLE time_entries (
    id           text PRIMARY KEY,
    task_id      text,
    user_id      bigint NOT NULL,
    start_at     timestamptz NOT NULL,
    end_at       timestamptz,          -- NULL while the timer runs
    duration_ms  bigint,               -- NULL while the timer runs
    is_running   boolean NOT NULL DEFAULT false,
    billable     boolean NOT NULL DEFAULT false,
    description  text,
    tags         text[] NOT NULL DEFAULT '{}',
    source       text,
    at           timestamptz,
    is_deleted   boolean NOT NULL DEFAULT false,
    raw          jsonb NOT NULL,
    synced_at    timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX time_entries_task_idx ON time_entries (task_id);
CREATE INDEX time_entries_user_start_idx ON time_entries (user_id, start_at);
CREATE INDEX time_entries_start_idx ON time_entries (start_at);

CREATE TABLE comments (
    id                 text PRIMARY KEY,
    task_id            text,
    list_id            text,
    parent_comment_id  text,           -- set on threaded replies
    user_id            bigint,
    text               text NOT NULL,
    date               timestamptz NOT NULL,
    resolved           boolean NOT NULL DEFAULT false,
    assignee_id        bigint,
    assigned_by_id     bigint,
    reply_count        integer NOT NULL DEFAULT 0,
    is_deleted         boolean NOT NULL DEFAULT false,
    raw                jsonb NOT NULL,
    synced_at          timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX comments_task_idx ON comments (task_id);
CREATE INDEX comments_assignee_idx ON comments (assignee_id) WHERE NOT resolved;

-- Each observed status change, with ClickUp's time for it (the task's date_updated).
CREATE TABLE task_status_history (
    id               bigserial PRIMARY KEY,
    task_id          text NOT NULL,
    status           text NOT NULL,
    status_type      text,
    previous_status  text,
    changed_at       timestamptz NOT NULL,
    observed_at      timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX task_status_history_task_idx ON task_status_history (task_id, changed_at);

-- Per-task sync bookkeeping: the task's date_updated when its comments were last read whole.
CREATE TABLE task_sync_state (
    task_id               text PRIMARY KEY,
    comments_synced_for   timestamptz,
    comments_synced_at    timestamptz
);

CREATE TABLE sync_runs (
    id                     bigserial PRIMARY KEY,
    kind                   text NOT NULL,          -- full / incremental / snapshot / verify
    status                 text NOT NULL DEFAULT 'running',  -- running / ok / partial / failed
    started_at             timestamptz NOT NULL DEFAULT now(),
    finished_at            timestamptz,
    tasks_upserted         integer NOT NULL DEFAULT 0,
    time_entries_upserted  integer NOT NULL DEFAULT 0,
    comments_upserted      integer NOT NULL DEFAULT 0,
    deleted                integer NOT NULL DEFAULT 0,
    api_calls              integer NOT NULL DEFAULT 0,
    errors                 jsonb NOT NULL DEFAULT '[]',
    detail                 jsonb NOT NULL DEFAULT '{}'
);

CREATE TABLE sync_cursors (
    stream      text PRIMARY KEY,
    value       bigint NOT NULL,           -- milliseconds since the epoch
    updated_at  timestamptz NOT NULL DEFAULT now()
);
