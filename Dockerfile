# pipetune worker image (used by docker-compose.yml): the CLI with its build, nothing else.
FROM node:20-bookworm-slim
WORKDIR /opt/pipetune
COPY package.json package-lock.json tsconfig.json ./
COPY bin ./bin
COPY src ./src
COPY workers ./workers
COPY bench ./bench
COPY examples ./examples
COPY configs ./configs
RUN npm ci --no-audit --no-fund && npm prune --omit=dev
ENTRYPOINT ["node", "/opt/pipetune/bin/pipetune.js"]
