# Ancla server image. Build: docker build -t ancla .   Run: docker run -p 8080:8080 ancla
# The index lives in /data; on hosts without volumes set ANCLA_SNAPSHOT_URL so it survives
# redeploys (README: "Deploy without volumes").

FROM eclipse-temurin:25-jdk AS build
WORKDIR /src
COPY mvnw pom.xml ./
COPY .mvn .mvn
RUN ./mvnw -q -B dependency:go-offline
COPY src src
RUN ./mvnw -q -B -DskipTests package

# the JDK image, not the JRE: the launcher uses the jdk.incubator.vector module and the AOT cache
FROM eclipse-temurin:25-jdk
RUN useradd --system --uid 10001 --home-dir /app ancla \
    && mkdir -p /data /app/target && chown ancla /data /app/target
WORKDIR /app
COPY ancla ./
COPY scripts scripts
COPY samples samples
COPY --from=build /src/target/ancla.jar /src/target/ancla-oneshot.jar \
    /src/target/oneshot-classpath.txt target/
COPY --from=build /src/target/lib target/lib
COPY --from=build /src/target/natives target/natives
USER ancla
# Build the JDK start-up caches into the image (the launcher trains them in the background on
# first use otherwise, and that first start runs without one).
RUN export ANCLA_AOT=wait && ./ancla --version && ./ancla bench --help >/dev/null \
    && ./ancla serve --help >/dev/null
# No ANCLA_PORT here: the port is ANCLA_PORT, else the platform's PORT (App Platform, Cloud Run,
# Heroku), else 8080.
ENV ANCLA_DATA_DIR=/data \
    ANCLA_SOURCES=/app/samples
EXPOSE 8080
# Liveness: /healthz. Readiness: /readyz (true once an index is open, restored or local).
HEALTHCHECK --interval=30s --timeout=3s CMD ["bash", "-c", "exec 3<>/dev/tcp/127.0.0.1/${ANCLA_PORT:-${PORT:-8080}} && printf 'GET /healthz HTTP/1.0\\r\\n\\r\\n' >&3 && grep -q ' 200 ' <&3"]
ENTRYPOINT ["/app/ancla"]
CMD ["serve"]
