"""The staff desk: a server-rendered web app (Starlette, Jinja2, plain forms) beside `bot/` and
`cli/`, calling `services/` only. How to add a page: see README.md in this folder."""
