// Runtime entry of @shelfwatch/persistence: the compiled barrel (TypeScript resolves the alias to src/ instead).
module.exports = require('../../dist/libs/persistence/src/index.js');
