# The portal's production image: gunicorn serves the web, the same image runs Celery.
FROM python:3.11-slim-bookworm
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1
RUN apt-get update && apt-get install -y --no-install-recommends gettext && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY pyproject.toml README.md ./
COPY . .
RUN pip install --no-cache-dir . \
    && python manage.py compilemessages --ignore=.venv \
    && SECRET_KEY=build python manage.py collectstatic --noinput
# media-private: TwinSpace materials, served only through the portal (twinspace.models.PrivateStorage).
RUN useradd --create-home portal && mkdir -p /app/media /app/media-private && chown portal /app/media /app/media-private
USER portal
EXPOSE 8000
CMD ["gunicorn", "etwinning.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "4", "--access-logfile", "-"]
