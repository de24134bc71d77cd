CREATE TYPE status AS ENUM ('idea', 'draft', 'review', 'live', 'archived');
