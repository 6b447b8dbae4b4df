# Stand-in for haproxy:3.2-alpine: Debian's HAProxy, reading the same config path, as the haproxy user.
ARG BASE_IMAGE=chat-offline/debian:bookworm
FROM ${BASE_IMAGE}
RUN apt-get update && apt-get install -y haproxy && rm -rf /var/lib/apt/lists/* \
  && mkdir -p /usr/local/etc/haproxy
USER haproxy
STOPSIGNAL SIGUSR1
CMD ["haproxy", "-W", "-db", "-f", "/usr/local/etc/haproxy/haproxy.cfg"]
