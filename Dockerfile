# The API image: builds the SPA, installs the locked Python dependencies, runs as an unprivileged user.
FROM node:20-bookworm-slim AS spa
WORKDIR /build/frontend
COPY frontend/package.json frontend/package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY frontend/ ./
RUN npx vite build

FROM python:3.11-slim-bookworm AS runtime
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 UV_PROJECT_ENVIRONMENT=/app/.venv UV_COMPILE_BYTECODE=1 \
    ENV=production PORT=8000 HOST=0.0.0.0
WORKDIR /app
RUN pip install --no-cache-dir "uv==0.13.9" && useradd --create-home --uid 10001 acsg
COPY pyproject.toml uv.lock README.md ./
RUN uv sync --frozen --no-dev --no-install-project
COPY api/ api/
COPY migrations/ migrations/
COPY alembic.ini ./
RUN uv sync --frozen --no-dev
COPY --from=spa /build/frontend/dist frontend/dist
USER acsg
EXPOSE 8000
HEALTHCHECK --interval=15s --timeout=5s --start-period=30s --retries=3 \
  CMD python -c "import urllib.request,sys; sys.exit(0 if urllib.request.urlopen('http://127.0.0.1:8000/readyz', timeout=4).status == 200 else 1)"
# Migrations and reference data are applied at start (idempotent); the worker runs in its own service.
CMD ["/app/.venv/bin/acsg", "serve", "--no-demo", "--no-worker"]
