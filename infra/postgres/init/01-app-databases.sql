-- One database per app; each app's migrations build its schema (run by the app's migrate step or at start).
CREATE DATABASE events;
CREATE DATABASE vitals;
CREATE DATABASE live_streaming;
CREATE DATABASE translation;
CREATE DATABASE documents;
