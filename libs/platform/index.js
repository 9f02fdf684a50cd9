// Runtime entry of @shelfwatch/platform: the compiled barrel (TypeScript resolves the alias to src/ instead).
module.exports = require('../../dist/libs/platform/src/index.js');
