# syntax=docker/dockerfile:1
# Innovasjonsportalen: one image for the web server, the Celery worker and beat
# (docker-compose.yml picks the process with `command`). Migrations are not run here: the
# one-shot `migrate` service in docker-compose.yml runs them (and setup_periodic_tasks) once,
# before web, worker and beat start, so scaling web never races on a schema change.

# --- assets: Designsystemet and the Inter font from npm (package-lock.json) ---------------------
FROM node:20-slim AS assets
WORKDIR /assets
COPY package.json package-lock.json ./
# Runtime packages only; axe-core is a devDependency used by the browser tests.
RUN npm ci --omit=dev --no-audit --no-fund

# --- python-deps: the locked virtualenv (uv.lock), without the dev group -------------------------
FROM python:3.13-slim AS python-deps
ARG UV_VERSION=0.13.9
RUN pip install --no-cache-dir "uv==${UV_VERSION}"
ENV UV_PROJECT_ENVIRONMENT=/app/.venv \
    UV_PYTHON_DOWNLOADS=never \
    UV_COMPILE_BYTECODE=1 \
    UV_LINK_MODE=copy
WORKDIR /app
COPY pyproject.toml uv.lock ./
RUN --mount=type=cache,target=/root/.cache/uv \
    uv sync --frozen --no-dev --no-install-project

# --- runtime ------------------------------------------------------------------------------------
# Same base image as python-deps, so the venv's interpreter link (/usr/local/bin/python3.13) holds.
FROM python:3.13-slim AS runtime
ENV PYTHONUNBUFFERED=1 \
    PYTHONDONTWRITEBYTECODE=1 \
    VIRTUAL_ENV=/app/.venv \
    PATH="/app/.venv/bin:${PATH}"
# WeasyPrint (the PDF receipts) needs Pango and its fonts at run time; DejaVu is the font the
# receipt's stylesheet names.
RUN apt-get update \
    && apt-get install -y --no-install-recommends libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core \
    && rm -rf /var/lib/apt/lists/*
RUN groupadd --system --gid 10001 portal \
    && useradd --system --uid 10001 --gid portal --home-dir /app --no-create-home --shell /usr/sbin/nologin portal
WORKDIR /app

COPY --from=python-deps /app/.venv /app/.venv
COPY --from=assets /assets/node_modules/@digdir /app/node_modules/@digdir
COPY --from=assets /assets/node_modules/@fontsource-variable /app/node_modules/@fontsource-variable
COPY --from=assets /assets/node_modules/htmx.org /app/node_modules/htmx.org
COPY . /app

# Static files are collected into the image (var/static) and served by whitenoise. With DEBUG off
# the settings refuse a missing SECRET_KEY/ALLOWED_HOSTS, so throwaway values are given to this
# one command only: they are not baked into the image's environment. The .mo files are committed,
# so compilemessages is not needed. The tree stays owned by root: the app user cannot change it.
RUN DEBUG=False SECRET_KEY=build-only ALLOWED_HOSTS=build.invalid \
    python manage.py collectstatic --noinput --verbosity 0

USER portal:portal
EXPOSE 8000

# No HEALTHCHECK in the image: worker and beat run this same image and listen on no port, and
# /healthz answers 503 whenever no Celery worker replies, which says nothing about this web
# process. docker-compose.yml gives the web service its own plain TCP check instead.

# 3 workers suits a container with one or two CPUs (gunicorn's 2 x CPUs + 1); change --workers
# in the service's command for bigger machines. TLS is terminated by the proxy in front.
# --no-control-socket: gunicorn's control socket would go under $HOME (/app), which the app user
# cannot write to, and nothing here uses gunicornc.
CMD ["gunicorn", "portal.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3", "--access-logfile", "-", "--no-control-socket"]
