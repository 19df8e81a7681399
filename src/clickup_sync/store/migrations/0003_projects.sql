-- One project registry (the original tool had two: one in memory, one in a JSON file).
-- A project names a Space, Folder or List so tools and reports can refer to it by name.

CREATE TABLE projects (
    id           serial PRIMARY KEY,
    name         text NOT NULL UNIQUE,
    kind         text NOT NULL CHECK (kind IN ('space', 'folder', 'list')),
    target_id    text NOT NULL,
    added_at     timestamptz NOT NULL DEFAULT now(),
    UNIQUE (kind, target_id)
);
