// Runtime entry of @shelfwatch/resilience: the compiled barrel (TypeScript resolves the alias to src/ instead).
module.exports = require('../../dist/libs/resilience/src/index.js');
