# nnlive as a container: build the wheel, install it into a slim image, serve on 0.0.0.0:8000 as a non-root user.
#   docker build -t nnlive .
#   docker run --rm -p 8000:8000 nnlive
FROM python:3.11-slim AS build
WORKDIR /src
COPY pyproject.toml README.md LICENSE ./
COPY nncore ./nncore
COPY app ./app
COPY templates ./templates
COPY static ./static
RUN pip wheel --no-cache-dir --no-deps --wheel-dir /wheels .

FROM python:3.11-slim
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1
COPY --from=build /wheels /wheels
RUN pip install --no-cache-dir /wheels/*.whl && rm -rf /wheels \
    && useradd --create-home --uid 10001 nnlive \
    && mkdir /data && chown nnlive /data
# Saved scenes: an SQLite file in /data (mount a volume to keep them), or PostgreSQL with -e DATABASE_URL=…
ENV NNLIVE_DATA_DIR=/data
VOLUME /data
USER nnlive
WORKDIR /home/nnlive
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=3s --start-period=10s --retries=3 \
    CMD ["python", "-c", "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8000/api/health', timeout=2)"]
# Live sessions train in one process per CPU the container may use (NNLIVE_WORKERS, or --workers N, overrides).
CMD ["nnlive", "serve", "--host", "0.0.0.0", "--port", "8000"]
