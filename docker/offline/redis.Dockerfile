# Stand-in for redis:7-alpine: Debian's Redis, listening on every interface of the container.
ARG BASE_IMAGE=chat-offline/debian:bookworm
FROM ${BASE_IMAGE}
RUN apt-get update && apt-get install -y redis-server redis-tools && rm -rf /var/lib/apt/lists/*
USER redis
WORKDIR /var/lib/redis
EXPOSE 6379
# The official image's build turns protected mode off; Debian's binary keeps it on without a config file.
CMD ["redis-server", "--bind", "*", "--protected-mode", "no"]
