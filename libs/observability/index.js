// Runtime entry of @shelfwatch/observability: the compiled barrel (TypeScript resolves the alias to src/ instead).
module.exports = require('../../dist/libs/observability/src/index.js');
