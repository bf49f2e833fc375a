# Image for the web app and the ingest worker (see docker-compose.yml).
FROM python:3.11-slim
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 \
    WERKLANDSCHAP_INSTANCE_PATH=/var/lib/werklandschap \
    WERKLANDSCHAP_SEED_DATA_DIR=/app/seed_data
WORKDIR /app
COPY pyproject.toml README.md ./
COPY webapp ./webapp
COPY sensors ./sensors
COPY themes ./themes
COPY roadmap ./roadmap
COPY seed_data ./seed_data
COPY migrations ./migrations
RUN pip install --no-cache-dir . \
 && useradd --system --home /var/lib/werklandschap --create-home werklandschap
USER werklandschap
EXPOSE 8000
CMD ["werklandschap", "serve", "--host", "0.0.0.0", "--port", "8000"]
