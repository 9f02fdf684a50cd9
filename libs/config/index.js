// Runtime entry of @shelfwatch/config: the compiled barrel (TypeScript resolves the alias to src/ instead).
module.exports = require('../../dist/libs/config/src/index.js');
