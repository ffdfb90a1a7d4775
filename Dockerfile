# oudersbot in a container: the wheel built in one stage, installed with the pinned set
# (requirements.lock, the same lock `make` installs from) in a small one that runs as a
# plain user. Data (the SQLite file, invite sheets) lives in the /data volume.
#
#   docker build -t oudersbot .
#   docker run --env-file .env -v oudersbot-data:/data oudersbot
#
# compose.yaml runs it next to PostgreSQL.

FROM python:3.11-slim AS build
WORKDIR /src
COPY requirements.lock pyproject.toml README.md ./
COPY src ./src
RUN pip wheel --no-cache-dir --no-deps --constraint requirements.lock --wheel-dir /wheels .

FROM python:3.11-slim
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1
RUN useradd --system --uid 10001 --user-group --home-dir /data --no-create-home oudersbot \
    && mkdir /data && chown oudersbot:oudersbot /data
COPY --from=build /wheels /wheels
COPY requirements.lock /tmp/requirements.lock
RUN python -m venv /opt/oudersbot \
    && /opt/oudersbot/bin/pip install --constraint /tmp/requirements.lock /wheels/oudersbot-*.whl \
    && rm -rf /wheels /tmp/requirements.lock
ENV PATH=/opt/oudersbot/bin:$PATH \
    OUDERSBOT_DATA_DIR=/data
WORKDIR /data
VOLUME ["/data"]
USER oudersbot
# The webhook listener, when OUDERSBOT_MODE=webhook (polling needs no open port).
EXPOSE 8443
CMD ["oudersbot", "run"]
