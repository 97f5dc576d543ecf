/* test_subject.c - what the user must fix, named by the built-in rules and
 * the subject heuristics (subject.c, traceback.c) on real tools' wordings:
 * the host ssh, curl and git name or the failing command's URL, the
 * command running when a time limit ran out, the project's innermost
 * traceback frame, the package a dependency's frame lies in, the file of
 * a compiler's or test runner's first error or of a Node or Java stack
 * frame of the project; and what the summary adds beside the subject (the
 * package being built, what its build found missing, the index fetched from,
 * the image a registry failure was pulling, the compiler's first error
 * under a failing script, the solver's reason for a dependency conflict). */
#include "unit.h"
#include "buildsleuth/analysis.h"

static const struct {
	const char *text, *id, *subject; /* subject NULL: none */
	const char *summary;
} rows[] = {
	/* ssh's Could not resolve hostname */
	{ "#5 [2/3] RUN git clone git@github.com:o/r.git\n"
	  "#5 1.0 Cloning into 'r'...\n"
	  "#5 2.0 ssh: Could not resolve hostname github.com: Temporary failure in name resolution\n"
	  "#5 3.0 fatal: Could not read from remote repository.\n"
	  "#5 ERROR: process \"/bin/sh -c git clone git@github.com:o/r.git\" did not complete successfully: exit code: 128\n",
	  "network.name-resolution", "github.com",
	  "Name resolution (DNS) failed inside the build" },
	/* ssh's connect to host */
	{ "#5 [2/3] RUN git clone git@github.com:o/r.git\n"
	  "#5 1.0 Cloning into 'r'...\n"
	  "#5 2.0 ssh: connect to host github.com port 22: Connection timed out\n"
	  "#5 3.0 fatal: Could not read from remote repository.\n"
	  "#5 ERROR: process \"/bin/sh -c git clone git@github.com:o/r.git\" did not complete successfully: exit code: 128\n",
	  "network.timeout", "github.com",
	  "A network request from the build timed out" },
	/* curl naming no host: the command's URL */
	{ "#5 [2/3] RUN curl -fsSL https://github.com/o/r/releases/download/v1/r.tgz -o r.tgz\n"
	  "#5 1.0 curl: (56) Recv failure: Connection reset by peer\n"
	  "#5 ERROR: process \"/bin/sh -c curl -fsSL https://github.com/o/r/releases/download/v1/r.tgz -o r.tgz\" did not complete successfully: exit code: 56\n",
	  "network.connection-reset", "https://github.com/o/r/releases/download/v1/r.tgz",
	  "A network connection was reset during the build" },
	/* git's RPC failure: the command's URL */
	{ "#5 [2/3] RUN git clone https://git.launchpad.net/~o/r\n"
	  "#5 1.0 Cloning into 'r'...\n"
	  "#5 2.0 error: RPC failed; curl 56 GnuTLS recv error (-54): Error in the pull function.\n"
	  "#5 3.0 fatal: early EOF\n"
	  "#5 ERROR: process \"/bin/sh -c git clone https://git.launchpad.net/~o/r\" did not complete successfully: exit code: 128\n",
	  "git.rpc-failed", "https://git.launchpad.net/~o/r",
	  "git's transfer from the remote broke off before the repository was complete (RPC failed)" },
	/* travis_wait's Still running */
	{ "$ travis_wait 60 cabal build\n"
	  "Still running (41 of 60): cabal build\n"
	  "The job exceeded the maximum time limit for jobs, and has been terminated.\n",
	  "travis.job-timeout", "cabal build",
	  "The Travis CI job was terminated at its time limit while the build was still running" },
	/* a CI's echoed command */
	{ "$ ./scripts/integration-tests.sh\n"
	  "PASS suite 1 of 9\n"
	  "The job exceeded the maximum time limit for jobs, and has been terminated.\n",
	  "travis.job-timeout", "./scripts/integration-tests.sh",
	  "The Travis CI job was terminated at its time limit while the build was still running" },
	/* the RUN running when the job timed out */
	{ "#7 [builder 4/6] RUN cargo build --release\n"
	  "#7 12.3    Compiling serde v1.0.0\n"
	  "ERROR: Job failed: execution took longer than 1h0m0s seconds\n",
	  "gitlab.job-timeout", "cargo build --release",
	  "The CI job was stopped after its time limit of 1h0m0s" },
	/* the project's innermost frame */
	{ "#5 [2/3] RUN python /app/main.py\n"
	  "#5 1.0 Traceback (most recent call last):\n"
	  "#5 2.0   File \"/app/main.py\", line 3, in <module>\n"
	  "#5 3.0     from utils import helper\n"
	  "#5 4.0   File \"/app/utils.py\", line 10, in <module>\n"
	  "#5 5.0     raise ValueError('bad config')\n"
	  "#5 6.0 ValueError: bad config\n"
	  "#5 ERROR: process \"/bin/sh -c python /app/main.py\" did not complete successfully: exit code: 1\n",
	  "python.uncaught-exception", "/app/utils.py",
	  "A build step stopped with an uncaught ValueError: bad config (in /app/utils.py, line 10)" },
	/* raised in a dependency, called from the project */
	{ "#5 [2/3] RUN python3 /app/run.py\n"
	  "#5 1.0 Traceback (most recent call last):\n"
	  "#5 2.0   File \"/app/run.py\", line 1, in <module>\n"
	  "#5 3.0     import cv2\n"
	  "#5 4.0   File \"/usr/lib/python3/dist-packages/numpy/__init__.py\", line 140, in <module>\n"
	  "#5 5.0     from . import core\n"
	  "#5 6.0 ImportError: cannot import name 'core'\n"
	  "#5 ERROR: process \"/bin/sh -c python3 /app/run.py\" did not complete successfully: exit code: 1\n",
	  "python.uncaught-exception", "/app/run.py",
	  "A build step stopped with an uncaught ImportError: cannot import name 'core' (raised in numpy, called from /app/run.py, line 1)" },
	/* a dependency built from uv's cache */
	{ "#5 [2/3] RUN uv sync\n"
	  "#5 1.0   × Failed to build `dracopy==1.4.0`\n"
	  "#5 2.0   ╰─▶ Call to `setuptools.build_meta:__legacy__.build_wheel` failed (exit status: 1)\n"
	  "#5 3.0       Traceback (most recent call last):\n"
	  "#5 4.0         File \"/root/.cache/uv/builds-v0/.tmpAbC/lib/python3.12/site-packages/setuptools/build_meta.py\", line 325, in get_requires_for_build_wheel\n"
	  "#5 5.0           return self._get_build_requires(config_settings, requirements=['wheel'])\n"
	  "#5 6.0         File \"/root/.cache/uv/sdists-v6/pypi/dracopy/1.4.0/Xyz/src/setup.py\", line 3, in <module>\n"
	  "#5 7.0           import imp\n"
	  "#5 8.0       ModuleNotFoundError: No module named 'imp'\n"
	  "#5 ERROR: process \"/bin/sh -c uv sync\" did not complete successfully: exit code: 1\n",
	  "python.removed-stdlib-module", "dracopy",
	  "Code uses imp in a way the image's Python no longer supports (removed from the standard library) (raised in dracopy, not in the project's code)" },
	/* gcc's first error, not its warning */
	{ "#5 [2/3] RUN make\n"
	  "#5 1.0 gcc -O2 -c util.c main.c\n"
	  "#5 2.0 util.c:3:1: warning: unused variable 'y'\n"
	  "#5 3.0 main.c:12:5: error: 'x' undeclared (first use in this function)\n"
	  "#5 4.0 main.c:14:5: error: 'z' undeclared (first use in this function)\n"
	  "#5 5.0 make: *** [Makefile:5: main.o] Error 1\n"
	  "#5 ERROR: process \"/bin/sh -c make\" did not complete successfully: exit code: 2\n",
	  "inferred.package-build", "main.c",
	  "`make` (step 2/3) exited with code 2 after printing: main.c:14:5: error: 'z' undeclared (first use in this function)" },
	/* tsc's (line,col) form */
	{ "#5 [2/3] RUN npx tsc\n"
	  "#5 1.0 src/main.ts(3,7): error TS2322: Type 'string' is not assignable to type 'number'.\n"
	  "#5 ERROR: process \"/bin/sh -c npx tsc\" did not complete successfully: exit code: 2\n",
	  "unknown", "src/main.ts",
	  "No known failure signature matched; `npx tsc` (step 2/3) exited with code 2 after printing: src/main.ts(3,7): error TS2322: Type 'string' is not assignable to type 'number'." },
	/* tsc's pretty form */
	{ "#5 [2/3] RUN npx tsc\n"
	  "#5 1.0 src/index.ts:3:7 - error TS2322: Type 'string' is not assignable to type 'number'.\n"
	  "#5 2.0 Found 1 error in src/index.ts:3\n"
	  "#5 ERROR: process \"/bin/sh -c npx tsc\" did not complete successfully: exit code: 2\n",
	  "unknown", "src/index.ts",
	  "No known failure signature matched; `npx tsc` (step 2/3) exited with code 2 after printing: Found 1 error in src/index.ts:3" },
	/* rustc's arrow */
	{ "#5 [2/3] RUN cargo build --release\n"
	  "#5 1.0    Compiling app v0.1.0 (/app)\n"
	  "#5 2.0 error[E0425]: cannot find value `x` in this scope\n"
	  "#5 3.0  --> src/main.rs:2:5\n"
	  "#5 4.0 error: could not compile `app` (bin \"app\") due to 1 previous error\n"
	  "#5 ERROR: process \"/bin/sh -c cargo build --release\" did not complete successfully: exit code: 101\n",
	  "inferred.application", "src/main.rs",
	  "`cargo build --release` (step 2/3) exited with code 101 after printing: error: could not compile `app` (bin \"app\") due to 1 previous error" },
	/* javac's through Maven */
	{ "#5 [2/3] RUN mvn -B package\n"
	  "#5 1.0 [ERROR] COMPILATION ERROR : \n"
	  "#5 2.0 [ERROR] /app/src/main/java/com/x/App.java:[10,5] cannot find symbol\n"
	  "#5 3.0 [ERROR] Failed to execute goal org.apache.maven.plugins:maven-compiler-plugin:3.8.1:compile (default-compile) on project app: Compilation failure\n"
	  "#5 ERROR: process \"/bin/sh -c mvn -B package\" did not complete successfully: exit code: 1\n",
	  "unknown", "/app/src/main/java/com/x/App.java",
	  "No known failure signature matched; `mvn -B package` (step 2/3) exited with code 1 after printing: [ERROR] Failed to execute goal org.apache.maven.plugins:maven-compiler-plugin:3.8.1:compile (default-compile) on project app: Compilation failure" },
	/* Next.js's location line */
	{ "#5 [2/3] RUN npm run build\n"
	  "#5 1.0 > next build\n"
	  "#5 2.0 Failed to compile.\n"
	  "#5 3.0 ./app/page.tsx:12:7\n"
	  "#5 4.0 Type error: Property 'foo' does not exist on type 'Props'.\n"
	  "#5 5.0 Next.js build worker exited with code: 1 and signal: null\n"
	  "#5 ERROR: process \"/bin/sh -c npm run build\" did not complete successfully: exit code: 1\n",
	  "inferred.application", "./app/page.tsx",
	  "`npm run build` (step 2/3) exited with code 1 after printing: Failed to compile." },
	/* jest's FAIL */
	{ "#5 [2/3] RUN npm test\n"
	  "#5 1.0 FAIL src/App.test.js\n"
	  "#5 2.0   ● renders learn react link\n"
	  "#5 3.0 Tests:       1 failed, 1 total\n"
	  "#5 4.0 npm ERR! Test failed.  See above for more details.\n"
	  "#5 ERROR: process \"/bin/sh -c npm test\" did not complete successfully: exit code: 1\n",
	  "unknown", "src/App.test.js",
	  "No known failure signature matched; `npm test` (step 2/3) exited with code 1 after printing: npm ERR! Test failed.  See above for more details." },
	/* a wrapper's failure names the compiler's first error */
	{ "#5 [2/3] RUN npm install\n"
	  "#5 1.0 > dockerfile-ast@0.0.1 prepublish /app\n"
	  "#5 2.0 > tsc -p ./src\n"
	  "#5 3.0 src/main.ts(70,33): error TS2307: Cannot find module './ParserDirective'.\n"
	  "#5 4.0 npm ERR! code ELIFECYCLE\n"
	  "#5 5.0 npm ERR! errno 2\n"
	  "#5 6.0 npm ERR! dockerfile-ast@0.0.1 prepublish: `tsc -p ./src`\n"
	  "#5 7.0 npm ERR! Exit status 2\n"
	  "#5 8.0 npm ERR! Failed at the dockerfile-ast@0.0.1 prepublish script.\n"
	  "#5 ERROR: process \"/bin/sh -c npm install\" did not complete successfully: exit code: 2\n",
	  "npm.lifecycle-script-failed", "prepublish",
	  "The project's npm `prepublish` script failed (first error: src/main.ts(70,33): error TS2307: Cannot find module './ParserDirective'.)" },
	/* a missing compiler names the package being built */
	{ "#5 [2/3] RUN pip install psutil\n"
	  "#5 1.0 Collecting psutil\n"
	  "#5 2.0   Building wheel for psutil (pyproject.toml): started\n"
	  "#5 3.0   × Building wheel for psutil (pyproject.toml) did not run successfully.\n"
	  "#5 4.0       error: command 'gcc' failed: No such file or directory\n"
	  "#5 5.0   ERROR: Failed building wheel for psutil\n"
	  "#5 ERROR: process \"/bin/sh -c pip install psutil\" did not complete successfully: exit code: 1\n",
	  "python.compiler-missing", "psutil",
	  "gcc is missing from the image, but a package had to be compiled from source; it led to: Source build of a package failed (psutil)" },
	/* a network failure names the index it was fetching from */
	{ "#5 [2/3] RUN pip install -r requirements.txt\n"
	  "#5 1.0 Looking in indexes: https://pypi.internal.example.net/simple\n"
	  "#5 2.0 Collecting flask (from -r requirements.txt (line 1))\n"
	  "#5 3.0 WARNING: Retrying (Retry(total=0, connect=None, read=None, redirect=None, status=None)) after connection broken by 'SSLError(SSLCertVerificationError(1, '[SSL: CERTIFICATE_VERIFY_FAILED] certificate verify failed: unable to get local issuer certificate (_ssl.c:1006)'))': /simple/flask/\n"
	  "#5 4.0 ERROR: Could not find a version that satisfies the requirement flask (from versions: none)\n"
	  "#5 5.0 ERROR: No matching distribution found for flask\n"
	  "#5 ERROR: process \"/bin/sh -c pip install -r requirements.txt\" did not complete successfully: exit code: 1\n",
	  "pip.retries-exhausted", "[SSL: CERTIFICATE_VERIFY_FAILED] certificate verify failed: unable to get local issuer certificate",
	  "pip's final retry for /simple/flask/ failed ([SSL: CERTIFICATE_VERIFY_FAILED] certificate verify failed: unable to get local issuer certificate), so pip gave up on it (from https://pypi.internal.example.net/simple)" },
	/* a registry failure names the image it was pulling */
	{ "#2 [internal] load metadata for docker.io/library/python:3.12-slim-bookworm\n"
	  "#2 ERROR: failed to do request: Head \"https://registry-1.docker.io/v2/library/python/manifests/3.12-slim-bookworm\": dial tcp: lookup registry-1.docker.io on 127.0.0.11:53: no such host\n"
	  "------\n"
	  " > [internal] load metadata for docker.io/library/python:3.12-slim-bookworm:\n"
	  "------\n"
	  "ERROR: failed to solve: python:3.12-slim-bookworm: failed to resolve source metadata for docker.io/library/python:3.12-slim-bookworm: failed to do request: Head \"https://registry-1.docker.io/v2/library/python/manifests/3.12-slim-bookworm\": dial tcp: lookup registry-1.docker.io on 127.0.0.11:53: no such host\n",
	  "network.dns-lookup-failed", "registry-1.docker.io",
	  "DNS lookup of registry-1.docker.io failed during the build (for docker.io/library/python:3.12-slim-bookworm)" },
	/* a legacy FROM's image */
	{ "Step 1/4 : FROM node:10.16.3\n"
	  "Get \"https://registry-1.docker.io/v2/\": dial tcp: lookup registry-1.docker.io: Temporary failure in name resolution\n",
	  "network.dns-lookup-failed", "registry-1.docker.io",
	  "DNS lookup of registry-1.docker.io failed during the build (for node:10.16.3)" },
	/* pip's conflict cause */
	{ "#5 [2/3] RUN pip install -r requirements.txt\n"
	  "#5 1.0 ERROR: Cannot install -r requirements.txt (line 3) and numpy==1.21.6 because these package versions have conflicting dependencies.\n"
	  "#5 2.0 \n"
	  "#5 3.0 The conflict is caused by:\n"
	  "#5 4.0     The user requested numpy==1.21.6\n"
	  "#5 5.0     pandas 2.0.0 depends on numpy>=1.23.2\n"
	  "#5 6.0 \n"
	  "#5 7.0 ERROR: ResolutionImpossible: for help visit https://pip.pypa.io/en/latest/topics/dependency-resolution/#dealing-with-dependency-conflicts\n"
	  "#5 ERROR: process \"/bin/sh -c pip install -r requirements.txt\" did not complete successfully: exit code: 1\n",
	  "pip.conflicting-requirements", "-r requirements.txt (line 3) and numpy==1.21.6",
	  "pip cannot install -r requirements.txt (line 3) and numpy==1.21.6 together: their dependencies conflict (pandas 2.0.0 depends on numpy>=1.23.2)" },
	/* poetry's solver reason */
	{ "#5 [2/3] RUN poetry install\n"
	  "#5 1.0 Because app depends on both requests (2.20.0) and urllib3 (2.0.0), version solving failed.\n"
	  "#5 2.0 \n"
	  "#5 3.0   SolverProblemError\n"
	  "#5 4.0 \n"
	  "#5 5.0   Because requests (2.20.0) depends on urllib3 (>=1.21.1,<1.25)\n"
	  "#5 6.0    and app depends on urllib3 (2.0.0), requests is forbidden.\n"
	  "#5 7.0   So, because app depends on requests (2.20.0), version solving failed.\n"
	  "#5 ERROR: process \"/bin/sh -c poetry install\" did not complete successfully: exit code: 1\n",
	  "poetry.solver-problem", NULL,
	  "Poetry could not find versions that satisfy all dependency constraints (Because app depends on both requests (2.20.0) and urllib3 (2.0.0), version solving failed.)" },
	/* apt's unmet dependency */
	{ "#5 [2/3] RUN apt-get install -y libssl1.1\n"
	  "#5 1.0 The following packages have unmet dependencies:\n"
	  "#5 2.0  libssl-dev : Depends: libssl1.1 (= 1.1.1n-0+deb11u4) but 1.1.1n-0+deb11u5 is to be installed\n"
	  "#5 3.0 E: Unable to correct problems, you have held broken packages.\n"
	  "#5 ERROR: process \"/bin/sh -c apt-get install -y libssl1.1\" did not complete successfully: exit code: 100\n",
	  "apt.held-broken-packages", "apt-get install -y libssl1.1",
	  "apt could not satisfy the requested packages' dependencies (libssl-dev : Depends: libssl1.1 (= 1.1.1n-0+deb11u4) but 1.1.1n-0+deb11u5 is to be installed)" },
	/* conda's package not found */
	{ "#5 [2/3] RUN conda env create -f environment.yml\n"
	  "#5 1.0 Solving environment: failed\n"
	  "#5 2.0 \n"
	  "#5 3.0 ResolvePackageNotFound: \n"
	  "#5 4.0   - python==3.6.13=h12debd9_1\n"
	  "#5 5.0   - libgcc-ng==9.3.0=h5101ec6_17\n"
	  "#5 ERROR: process \"/bin/sh -c conda env create -f environment.yml\" did not complete successfully: exit code: 1\n",
	  "conda.packages-not-found", "ResolvePackageNotFound",
	  "conda could not find some requested packages in the configured channels (ResolvePackageNotFound) (python==3.6.13=h12debd9_1)" },
	/* npm's ERESOLVE, inferred */
	{ "#5 [2/3] RUN npm install\n"
	  "#5 1.0 npm ERR! code ERESOLVE\n"
	  "#5 2.0 npm ERR! ERESOLVE unable to resolve dependency tree\n"
	  "#5 3.0 npm ERR! \n"
	  "#5 4.0 npm ERR! While resolving: my-app@0.1.0\n"
	  "#5 5.0 npm ERR! Found: react@18.2.0\n"
	  "#5 6.0 npm ERR! node_modules/react\n"
	  "#5 7.0 npm ERR! \n"
	  "#5 8.0 npm ERR! Could not resolve dependency:\n"
	  "#5 9.0 npm ERR! peer react@\"^16.8.0 || ^17.0.0\" from react-beautiful-dnd@13.1.1\n"
	  "#5 10.0 npm ERR! node_modules/react-beautiful-dnd\n"
	  "#5 ERROR: process \"/bin/sh -c npm install\" did not complete successfully: exit code: 1\n",
	  "inferred.dependency-resolution", "npm install",
	  "`npm install` (step 2/3) exited with code 1 after printing: npm ERR! node_modules/react-beautiful-dnd (Found: react@18.2.0; peer react@\"^16.8.0 || ^17.0.0\" from react-beautiful-dnd@13.1.1)" },
	/* Node's file:line above its code frame, not a dependency's */
	{ "#5 [2/3] RUN node index.js --build\n"
	  "#5 1.0 /app/node_modules/dotenv/lib/main.js:12\n"
	  "#5 2.0 /app/index.js:5\n"
	  "#5 3.0     throw new Error('missing env');\n"
	  "#5 4.0     ^\n"
	  "#5 5.0 \n"
	  "#5 6.0 Error: missing env\n"
	  "#5 7.0     at Object.<anonymous> (/app/index.js:5:11)\n"
	  "#5 ERROR: process \"/bin/sh -c node index.js --build\" did not complete successfully: exit code: 1\n",
	  "unknown", "/app/index.js",
	  "No known failure signature matched; `node index.js --build` (step 2/3) exited with code 1 after printing: at Object.<anonymous> (/app/index.js:5:11)" },
	/* an error-marked location before a bare one */
	{ "#5 [2/3] RUN node build.js\n"
	  "#5 1.0 /build/node_modules/ts-node/src/index.ts:820\n"
	  "#5 2.0     return new TSError(diagnosticText, diagnosticCodes);\n"
	  "#5 3.0 TSError: Unable to compile TypeScript:\n"
	  "#5 4.0 build/version.ts(6,26): error TS2307: Cannot find module 'common/fs'.\n"
	  "#5 ERROR: process \"/bin/sh -c node build.js\" did not complete successfully: exit code: 1\n",
	  "python.uncaught-exception", "TSError",
	  "A build step stopped with an uncaught TSError: Unable to compile TypeScript: (first error: build/version.ts(6,26): error TS2307: Cannot find module 'common/fs'.)" },
	/* Ruby's backtrace */
	{ "#5 [2/3] RUN bundle exec rake assets:precompile\n"
	  "#5 1.0 rake aborted!\n"
	  "#5 2.0 NameError: uninitialized constant Foo\n"
	  "#5 3.0 /app/config/application.rb:10:in `<class:Application>'\n"
	  "#5 4.0 Tasks: TOP => environment\n"
	  "#5 ERROR: process \"/bin/sh -c bundle exec rake assets:precompile\" did not complete successfully: exit code: 1\n",
	  "python.uncaught-exception", "NameError",
	  "A build step stopped with an uncaught NameError: uninitialized constant Foo (first error: /app/config/application.rb:10:in `<class:Application>')" },
	/* Angular's tsc error */
	{ "#5 [2/3] RUN npm run build\n"
	  "#5 1.0 Error: src/app/app.component.ts:5:3 - error TS2304: Cannot find name 'foo'.\n"
	  "#5 2.0 \n"
	  "#5 3.0 5   foo();\n"
	  "#5 ERROR: process \"/bin/sh -c npm run build\" did not complete successfully: exit code: 1\n",
	  "inferred.application", "src/app/app.component.ts",
	  "`npm run build` (step 2/3) exited with code 1 after printing: 5   foo();" },
	/* ESLint's file above its positions */
	{ "#5 [2/3] RUN npm run lint\n"
	  "#5 1.0 /app/src/App.js\n"
	  "#5 2.0   5:3  error  'foo' is not defined  no-undef\n"
	  "#5 3.0 \n"
	  "#5 4.0 1 problem (1 error, 0 warnings)\n"
	  "#5 ERROR: process \"/bin/sh -c npm run lint\" did not complete successfully: exit code: 1\n",
	  "inferred.application", "/app/src/App.js",
	  "`npm run lint` (step 2/3) exited with code 1 after printing: 1 problem (1 error, 0 warnings)" },
	/* create-react-app's file above its lines */
	{ "#5 [2/3] RUN npm run build\n"
	  "#5 1.0 Failed to compile.\n"
	  "#5 2.0 \n"
	  "#5 3.0 ./src/App.js\n"
	  "#5 4.0   Line 5:3:  'foo' is not defined  no-undef\n"
	  "#5 ERROR: process \"/bin/sh -c npm run build\" did not complete successfully: exit code: 1\n",
	  "inferred.application", "./src/App.js",
	  "`npm run build` (step 2/3) exited with code 1 after printing: Failed to compile." },
	/* webpack's ERROR in */
	{ "#5 [2/3] RUN npm run build\n"
	  "#5 1.0 ERROR in ./src/index.js 5:0-24\n"
	  "#5 2.0 Module parse failed: Unexpected token (5:2)\n"
	  "#5 3.0 webpack compiled with 1 error\n"
	  "#5 ERROR: process \"/bin/sh -c npm run build\" did not complete successfully: exit code: 1\n",
	  "inferred.application", "./src/index.js",
	  "`npm run build` (step 2/3) exited with code 1 after printing: webpack compiled with 1 error" },
	/* webpack's unresolved import: the rule names the module, the summary
	 * the file that imports it */
	{ "#5 [2/3] RUN npm run build\n"
	  "#5 1.0 ERROR in ./src/index.js 5:0-24\n"
	  "#5 2.0 Module not found: Error: Can't resolve './App' in '/app/src'\n"
	  "#5 3.0 webpack compiled with 1 error\n"
	  "#5 ERROR: process \"/bin/sh -c npm run build\" did not complete successfully: exit code: 1\n",
	  "webpack.module-not-found", "./App",
	  "The build cannot resolve the import ./App (first error: ERROR in ./src/index.js 5:0-24)" },
	/* a Rust panic */
	{ "#5 [2/3] RUN cargo run --bin gen\n"
	  "#5 1.0 thread 'main' panicked at 'called `Option::unwrap()` on a `None` value', src/main.rs:3:5\n"
	  "#5 2.0 note: run with `RUST_BACKTRACE=1` environment variable to display a backtrace\n"
	  "#5 ERROR: process \"/bin/sh -c cargo run --bin gen\" did not complete successfully: exit code: 101\n",
	  "unknown", "src/main.rs",
	  "No known failure signature matched; `cargo run --bin gen` (step 2/3) exited with code 101 after printing: note: run with `RUST_BACKTRACE=1` environment variable to display a backtrace" },
	/* Go's failed test */
	{ "#5 [2/3] RUN go test ./...\n"
	  "#5 1.0 --- FAIL: TestHandler (0.00s)\n"
	  "#5 2.0     handler_test.go:12: expected 200, got 500\n"
	  "#5 3.0 FAIL\n"
	  "#5 4.0 FAIL\texample.com/app\t0.012s\n"
	  "#5 ERROR: process \"/bin/sh -c go test ./...\" did not complete successfully: exit code: 1\n",
	  "unknown", "TestHandler",
	  "No known failure signature matched; `go test ./...` (step 2/3) exited with code 1 after printing: FAIL\texample.com/app\t0.012s" },
	/* Node's stack: the innermost frame of the project, not the runtime's */
	{ "#5 [2/3] RUN npm run build\n"
	  "#5 1.0 > app@1.0.0 build\n"
	  "#5 2.0 > node scripts/build.js\n"
	  "#5 3.0 TypeError: Cannot read properties of undefined (reading 'map')\n"
	  "#5 4.0     at buildRoutes (/app/scripts/build.js:44:23)\n"
	  "#5 5.0     at main (/app/scripts/build.js:80:3)\n"
	  "#5 6.0     at Module._compile (node:internal/modules/cjs/loader:1105:14)\n"
	  "#5 ERROR: process \"/bin/sh -c npm run build\" did not complete successfully: exit code: 1\n",
	  "python.uncaught-exception", "TypeError",
	  "A build step stopped with an uncaught TypeError: Cannot read properties of undefined (reading 'map') (first error: at buildRoutes (/app/scripts/build.js:44:23))" },
	/* Java's stack: the project's innermost frame, not the JDK's */
	{ "#5 [2/3] RUN java -jar app.jar --migrate\n"
	  "#5 1.0 Exception in thread \"main\" java.lang.IllegalStateException: missing property db.url\n"
	  "#5 2.0 \tat java.base/java.util.Objects.requireNonNull(Objects.java:259)\n"
	  "#5 3.0 \tat com.acme.app.Config.load(Config.java:42)\n"
	  "#5 4.0 \tat com.acme.app.Main.main(Main.java:10)\n"
	  "#5 ERROR: process \"/bin/sh -c java -jar app.jar --migrate\" did not complete successfully: exit code: 1\n",
	  "unknown", "Config.java",
	  "No known failure signature matched; `java -jar app.jar --migrate` (step 2/3) exited with code 1 after printing: at com.acme.app.Main.main(Main.java:10)" },
	/* javac's file:line: error */
	{ "#5 [2/3] RUN javac -d out src/com/acme/App.java\n"
	  "#5 1.0 src/com/acme/App.java:10: error: cannot find symbol\n"
	  "#5 2.0         Foo f = new Foo();\n"
	  "#5 3.0 1 error\n"
	  "#5 ERROR: process \"/bin/sh -c javac -d out src/com/acme/App.java\" did not complete successfully: exit code: 1\n",
	  "unknown", "src/com/acme/App.java",
	  "No known failure signature matched; `javac -d out src/com/acme/App.java` (step 2/3) exited with code 1 after printing: 1 error" },
	/* Kotlin's e: with a file URL */
	{ "#5 [2/3] RUN ./gradlew build\n"
	  "#5 1.0 > Task :app:compileKotlin FAILED\n"
	  "#5 2.0 e: file:///app/src/main/kotlin/App.kt:10:5 Unresolved reference: foo\n"
	  "#5 3.0 FAILURE: Build failed with an exception.\n"
	  "#5 ERROR: process \"/bin/sh -c ./gradlew build\" did not complete successfully: exit code: 1\n",
	  "inferred.application", "/app/src/main/kotlin/App.kt",
	  "`./gradlew build` (step 2/3) exited with code 1 after printing: FAILURE: Build failed with an exception." },
	/* Kotlin's older e: with (line, column) */
	{ "#5 [2/3] RUN ./gradlew build\n"
	  "#5 1.0 e: /app/src/main/kotlin/App.kt: (10, 5): Unresolved reference: foo\n"
	  "#5 2.0 FAILURE: Build failed with an exception.\n"
	  "#5 ERROR: process \"/bin/sh -c ./gradlew build\" did not complete successfully: exit code: 1\n",
	  "inferred.application", "/app/src/main/kotlin/App.kt",
	  "`./gradlew build` (step 2/3) exited with code 1 after printing: FAILURE: Build failed with an exception." },
	/* PHP's parse error names its file after " in " */
	{ "#5 [2/3] RUN php artisan config:cache\n"
	  "#5 1.0 PHP Parse error:  syntax error, unexpected token \"}\" in /var/www/html/config/app.php on line 57\n"
	  "#5 ERROR: process \"/bin/sh -c php artisan config:cache\" did not complete successfully: exit code: 255\n",
	  "inferred.application", "/var/www/html/config/app.php",
	  "`php artisan config:cache` (step 2/3) exited with code 255 after printing: PHP Parse error:  syntax error, unexpected token \"}\" in /var/www/html/config/app.php on line 57" },
	/* CMake's Could NOT find: what a source build misses */
	{ "#5 [2/3] RUN pip install dlib\n"
	  "#5 1.0 Collecting dlib\n"
	  "#5 2.0   Building wheel for dlib (setup.py): started\n"
	  "#5 3.0   CMake Error at /usr/share/cmake-3.25/Modules/FindPackageHandleStandardArgs.cmake:230 (message):\n"
	  "#5 4.0     Could NOT find OpenSSL, try to set the path to OpenSSL root folder in the\n"
	  "#5 5.0   ERROR: Failed building wheel for dlib\n"
	  "#5 ERROR: process \"/bin/sh -c pip install dlib\" did not complete successfully: exit code: 1\n",
	  "pip.wheel-build-failed", "dlib",
	  "pip could not build dlib from source (OpenSSL not found)" },
	/* the linker's cannot find -l */
	{ "#5 [2/3] RUN pip install mysqlclient\n"
	  "#5 1.0   Building wheel for mysqlclient (setup.py): started\n"
	  "#5 2.0       /usr/bin/ld: cannot find -lmysqlclient\n"
	  "#5 3.0       collect2: error: ld returned 1 exit status\n"
	  "#5 4.0   ERROR: Failed building wheel for mysqlclient\n"
	  "#5 ERROR: process \"/bin/sh -c pip install mysqlclient\" did not complete successfully: exit code: 1\n",
	  "pip.wheel-build-failed", "mysqlclient",
	  "pip could not build mysqlclient from source (-lmysqlclient not found)" },
	/* cargo's crate whose build script failed */
	{ "#5 [2/3] RUN cargo build --release\n"
	  "#5 1.0    Compiling openssl-sys v0.9.93\n"
	  "#5 2.0 error: failed to run custom build command for `openssl-sys v0.9.93`\n"
	  "#5 3.0 Caused by:\n"
	  "#5 4.0   --- stderr\n"
	  "#5 5.0   thread 'main' panicked at /root/.cargo/registry/src/index.crates.io-6f17d22bba15001f/openssl-sys-0.9.93/build/find_normal.rs:190:5:\n"
	  "#5 6.0   Could not find directory of OpenSSL installation, and this `-sys` crate cannot proceed without this knowledge.\n"
	  "#5 ERROR: process \"/bin/sh -c cargo build --release\" did not complete successfully: exit code: 101\n",
	  "cargo.build-script-panicked", "Could not find directory of OpenSSL installation, and this `-sys` crate cannot proceed without this knowledge.",
	  "A dependency's build script panicked: Could not find directory of OpenSSL installation, and this `-sys` crate cannot proceed without this knowledge. (while building openssl-sys)" },
	/* npm's path of a dependency's install script */
	{ "#5 [2/3] RUN npm ci\n"
	  "#5 1.0 npm ERR! code 1\n"
	  "#5 2.0 npm ERR! path /app/node_modules/@serialport/bindings-cpp\n"
	  "#5 3.0 npm ERR! command failed\n"
	  "#5 4.0 npm ERR! command sh -c node-gyp-build\n"
	  "#5 5.0 npm ERR! make: Entering directory '/app/node_modules/@serialport/bindings-cpp/build'\n"
	  "#5 6.0 npm ERR! gyp info spawn make\n"
	  "#5 7.0 npm ERR! ../src/serialport.cpp:1:10: fatal error: napi.h: No such file or directory\n"
	  "#5 8.0 npm ERR! gyp ERR! build error\n"
	  "#5 9.0 npm ERR! gyp ERR! stack Error: `make` failed with exit code: 2\n"
	  "#5 ERROR: process \"/bin/sh -c npm ci\" did not complete successfully: exit code: 1\n",
	  "python.header-missing", "@serialport/bindings-cpp",
	  "A C extension could not compile because the header napi.h is not installed" },
	/* a program missing inside pip's build box names the package being built */
	{ "#5 [2/3] RUN pip install -r requirements.txt\n"
	  "#5 1.0 Collecting mysqlclient==2.2.4 (from -r requirements.txt (line 3))\n"
	  "#5 2.0   Using cached mysqlclient-2.2.4.tar.gz (90 kB)\n"
	  "#5 3.0   Getting requirements to build wheel: started\n"
	  "#5 4.0   Getting requirements to build wheel: finished with status 'error'\n"
	  "#5 5.0   error: subprocess-exited-with-error\n"
	  "#5 6.0   × Getting requirements to build wheel did not run successfully.\n"
	  "#5 7.0   │ exit code: 1\n"
	  "#5 8.0   ╰─> [27 lines of output]\n"
	  "#5 9.0       /bin/sh: 1: pkg-config: not found\n"
	  "#5 10.0       Trying pkg-config --exists mysqlclient\n"
	  "#5 ERROR: process \"/bin/sh -c pip install -r requirements.txt\" did not complete successfully: exit code: 1\n",
	  "shell.command-not-found", "mysqlclient==2.2.4",
	  "The shell could not find the command `pkg-config`" },
	/* cargo's crate that could not compile, inferred */
	{ "#5 [2/3] RUN cargo build --release --bin app\n"
	  "#5 1.0    Compiling app-lib v0.1.0 (/app/crates/lib)\n"
	  "#5 2.0           collect2: error: ld returned 1 exit status\n"
	  "#5 3.0 error: could not compile `app-lib` (lib) due to 1 previous error\n"
	  "#5 ERROR: process \"/bin/sh -c cargo build --release --bin app\" did not complete successfully: exit code: 101\n",
	  "inferred.package-build", "app-lib",
	  "`cargo build --release --bin app` (step 2/3) exited with code 101 after printing: collect2: error: ld returned 1 exit status" },
	/* Turborepo's task prefix before a location */
	{ "#5 [2/3] RUN npm run build\n"
	  "#5 1.0 > next build\n"
	  "#5 2.0 Failed to compile.\n"
	  "#5 3.0 @acme/web:build: ./packages/api/src/index.ts:8:14\n"
	  "#5 4.0 @acme/web:build: Ecmascript file had an error\n"
	  "#5 ERROR: process \"/bin/sh -c npm run build\" did not complete successfully: exit code: 1\n",
	  "inferred.application", "./packages/api/src/index.ts",
	  "`npm run build` (step 2/3) exited with code 1 after printing: Failed to compile." },
	/* Node's require stack names the file with the broken import */
	{ "#5 [2/3] RUN npm run build\n"
	  "#5 1.0 > next build\n"
	  "#5 2.0 Failed to compile.\n"
	  "#5 3.0 ./node_modules/next/dist/client/next.js\n"
	  "#5 4.0 Error: Cannot find module './src/data'\n"
	  "#5 5.0 Require stack:\n"
	  "#5 6.0 - /usr/src/app/node_modules/core-js-compat/helpers.js\n"
	  "#5 7.0 - /usr/src/app/node_modules/@babel/preset-env/lib/index.js\n"
	  "#5 ERROR: process \"/bin/sh -c npm run build\" did not complete successfully: exit code: 1\n",
	  "node.cannot-find-module", "./src/data",
	  "Node could not load `./src/data` while running the build (required by /usr/src/app/node_modules/core-js-compat/helpers.js)" },
	/* kaniko's image, fetched before a layer failure */
	{ "INFO[0000] Resolved base name nginx:latest to nginx:latest\n"
	  "INFO[0000] Retrieving image manifest nginx:latest\n"
	  "INFO[0005] Built cross stage deps: map[]\n"
	  "error building image: error building stage: failed to get filesystem from image: stream error: stream ID 5; INTERNAL_ERROR\n",
	  "kaniko.image-filesystem-failed", "nginx:latest",
	  "kaniko could not download the layers of an image it unpacks (the stage's base image, or the source of a `COPY --from`)" },
	/* BuildKit's marked Dockerfile line, for a Dockerfile error naming nothing else */
	{ "#1 [internal] load build definition from Dockerfile\n"
	  "#1 DONE 0.0s\n"
	  "Dockerfile:3\n"
	  "--------------------\n"
	  "   1 |     FROM python:3.11\n"
	  "   2 |     ARG VERSION\n"
	  "   3 | >>> ENV APP_VERSION ${VERSION\n"
	  "   4 |     RUN echo hi\n"
	  "--------------------\n"
	  "ERROR: failed to solve: failed to process \"${VERSION\": syntax error: missing '}'\n",
	  "inferred.dockerfile", "ENV APP_VERSION ${VERSION",
	  "the likeliest error line is: ERROR: failed to solve: failed to process \"${VERSION\": syntax error: missing '}'" },
	/* Docker's platform warning beside an exec format error */
	{ "#4 [1/3] FROM docker.io/library/node:18@sha256:abc\n"
	  "#4 DONE 0.1s\n"
	  "#5 [2/3] RUN npm ci\n"
	  "#5 0.311 WARNING: The requested image's platform (linux/amd64) does not match the detected host platform (linux/arm64/v8) and no specific platform was requested\n"
	  "#5 0.312 exec /bin/sh: exec format error\n"
	  "#5 ERROR: process \"/bin/sh -c npm ci\" did not complete successfully: exit code: 1\n",
	  "docker.exec-format-error-binary", "/bin/sh",
	  "`/bin/sh` in the image was built for a different CPU architecture than the build platform (exec format error) (image platform linux/amd64, host linux/arm64/v8)" },
	/* create-react-app 4+'s relative file above its positions */
	{ "#1 [internal] load build definition from Dockerfile\n"
	  "#1 DONE 0.0s\n"
	  "#5 [2/3] RUN yarn build\n"
	  "#5 1.0 yarn run v1.22.19\n"
	  "#5 2.0 $ react-scripts build\n"
	  "#5 3.0 Creating an optimized production build...\n"
	  "#5 4.0 Failed to compile.\n"
	  "#5 5.0 \n"
	  "#5 6.0 src/App.tsx\n"
	  "#5 7.0   Line 5:8:  'logo' is defined but never used  @typescript-eslint/no-unused-vars\n"
	  "#5 8.0 \n"
	  "#5 9.0 Search for the keywords to learn more about each warning.\n"
	  "#5 10.0 To ignore, add // eslint-disable-next-line to the line before.\n"
	  "#5 11.0 \n"
	  "#5 12.0 error Command failed with exit code 1.\n"
	  "#5 13.0 info Visit https://yarnpkg.com/en/docs/cli/run for documentation about this command.\n"
	  "#5 ERROR: process \"/bin/sh -c yarn build\" did not complete successfully: exit code: 1\n",
	  "inferred.application", "src/App.tsx",
	  "`yarn build` (step 2/3) exited with code 1 after printing: Failed to compile." },
	/* pydantic 1's compiled frames are not the project's; the invalid field */
	{ "#1 [internal] load build definition from Dockerfile\n"
	  "#1 DONE 0.0s\n"
	  "#5 [2/3] RUN python app/init_db.py\n"
	  "#5 1.0 Traceback (most recent call last):\n"
	  "#5 2.0   File \"/app/app/init_db.py\", line 4, in <module>\n"
	  "#5 3.0     from app.config import settings\n"
	  "#5 4.0   File \"/app/app/config.py\", line 20, in <module>\n"
	  "#5 5.0     settings = Settings()\n"
	  "#5 6.0   File \"pydantic/env_settings.py\", line 39, in pydantic.env_settings.BaseSettings.__init__\n"
	  "#5 7.0   File \"pydantic/main.py\", line 341, in pydantic.main.BaseModel.__init__\n"
	  "#5 8.0 pydantic.error_wrappers.ValidationError: 1 validation error for Settings\n"
	  "#5 9.0 DATABASE_URL\n"
	  "#5 10.0   field required (type=value_error.missing)\n"
	  "#5 ERROR: process \"/bin/sh -c python app/init_db.py\" did not complete successfully: exit code: 1\n",
	  "python.uncaught-exception", "/app/app/config.py",
	  "A build step stopped with an uncaught pydantic.error_wrappers.ValidationError: 1 validation error for Settings (field DATABASE_URL) (raised in pydantic, called from /app/app/config.py, line 20)" },
	/* pytest's node id: the file and the test */
	{ "#1 [internal] load build definition from Dockerfile\n"
	  "#1 DONE 0.0s\n"
	  "#5 [2/3] RUN pytest\n"
	  "#5 1.0 ============================= test session starts ==============================\n"
	  "#5 2.0 collected 12 items\n"
	  "#5 3.0 \n"
	  "#5 4.0 tests/test_api.py ..F.                                                   [100%]\n"
	  "#5 5.0 \n"
	  "#5 6.0 =================================== FAILURES ===================================\n"
	  "#5 7.0 ________________________________ test_create ___________________________________\n"
	  "#5 8.0 \n"
	  "#5 9.0     def test_create():\n"
	  "#5 10.0 >       assert resp.status_code == 201\n"
	  "#5 11.0 E       assert 500 == 201\n"
	  "#5 12.0 \n"
	  "#5 13.0 tests/test_api.py:14: AssertionError\n"
	  "#5 14.0 =========================== short test summary info ============================\n"
	  "#5 15.0 FAILED tests/test_api.py::test_create - assert 500 == 201\n"
	  "#5 16.0 ========================= 1 failed, 11 passed in 0.52s =========================\n"
	  "#5 ERROR: process \"/bin/sh -c pytest\" did not complete successfully: exit code: 1\n",
	  "pytest.test-failed", "tests/test_api.py",
	  "A test of the project failed during the build: tests/test_api.py (first error: FAILED tests/test_api.py::test_create - assert 500 == 201)" },
	/* Gradle's Build file ... line: under * Where: */
	{ "#1 [internal] load build definition from Dockerfile\n"
	  "#1 DONE 0.0s\n"
	  "#5 [2/3] RUN gradle build --no-daemon\n"
	  "#5 1.0 FAILURE: Build failed with an exception.\n"
	  "#5 2.0 \n"
	  "#5 3.0 * Where:\n"
	  "#5 4.0 Build file '/home/gradle/src/app/build.gradle.kts' line: 42\n"
	  "#5 5.0 \n"
	  "#5 6.0 * What went wrong:\n"
	  "#5 7.0 Script compilation errors:\n"
	  "#5 8.0 \n"
	  "#5 9.0   Line 42:     kotlinOptions {\n"
	  "#5 10.0                ^ Unresolved reference: kotlinOptions\n"
	  "#5 11.0 \n"
	  "#5 12.0 1 error\n"
	  "#5 ERROR: process \"/bin/sh -c gradle build --no-daemon\" did not complete successfully: exit code: 1\n",
	  "inferred.application", "/home/gradle/src/app/build.gradle.kts",
	  "`gradle build --no-daemon` (step 2/3) exited with code 1 after printing: 1 error" },
	/* Maven surefire's failed test */
	{ "#1 [internal] load build definition from Dockerfile\n"
	  "#1 DONE 0.0s\n"
	  "#5 [2/3] RUN mvn -B package\n"
	  "#5 1.0 [ERROR] Tests run: 3, Failures: 1, Errors: 0, Skipped: 0, Time elapsed: 0.05 s <<< FAILURE! - in com.acme.AppTest\n"
	  "#5 2.0 [ERROR] testAdd(com.acme.AppTest)  Time elapsed: 0.01 s  <<< FAILURE!\n"
	  "#5 3.0 [ERROR] Failures: \n"
	  "#5 4.0 [ERROR]   AppTest.testAdd:14 expected:<4> but was:<3>\n"
	  "#5 5.0 [ERROR] Tests run: 3, Failures: 1, Errors: 0, Skipped: 0\n"
	  "#5 6.0 [ERROR] Failed to execute goal org.apache.maven.plugins:maven-surefire-plugin:2.22.2:test (default-test) on project app: There are test failures.\n"
	  "#5 ERROR: process \"/bin/sh -c mvn -B package\" did not complete successfully: exit code: 1\n",
	  "unknown", "AppTest.testAdd",
	  "No known failure signature matched; `mvn -B package` (step 2/3) exited with code 1 after printing: [ERROR] Failed to execute goal org.apache.maven.plugins:maven-surefire-plugin:2.22.2:test (default-test) on project app: There are test failures." },
	/* lxml's compiled frames: raised in lxml, called from the project */
	{ "#1 [internal] load build definition from Dockerfile\n"
	  "#1 DONE 0.0s\n"
	  "#5 [2/3] RUN python /app/scripts/gen.py\n"
	  "#5 1.0 Traceback (most recent call last):\n"
	  "#5 2.0   File \"/app/scripts/gen.py\", line 12, in <module>\n"
	  "#5 3.0     tree = etree.fromstring(data)\n"
	  "#5 4.0   File \"src/lxml/etree.pyx\", line 3257, in lxml.etree.fromstring\n"
	  "#5 5.0   File \"src/lxml/parser.pxi\", line 1916, in lxml.etree._parseMemoryDocument\n"
	  "#5 6.0 ValueError: Unicode strings with encoding declaration are not supported. Please use bytes input or XML fragments without declaration.\n"
	  "#5 ERROR: process \"/bin/sh -c python /app/scripts/gen.py\" did not complete successfully: exit code: 1\n",
	  "python.uncaught-exception", "/app/scripts/gen.py",
	  "A build step stopped with an uncaught ValueError: Unicode strings with encoding declaration are not supported. Please use bytes input or XML fragments without declaration. (raised in lxml, called from /app/scripts/gen.py, line 12)" },
	/* no package named: the file whose compilation failed */
	{ "#5 [2/3] RUN pip install -r requirements.txt\n"
	  "#5 1.0       x86_64-linux-gnu-gcc: numpy/core/src/multiarray/numpyos.c\n"
	  "#5 2.0       numpy/core/src/multiarray/numpyos.c:18:10: fatal error: xlocale.h: No such file or directory\n"
	  "#5 3.0          18 | #include <xlocale.h>\n"
	  "#5 4.0       compilation terminated.\n"
	  "#5 ERROR: process \"/bin/sh -c pip install -r requirements.txt\" did not complete successfully: exit code: 1\n",
	  "python.header-missing", "xlocale.h",
	  "A C extension could not compile because the header xlocale.h is not installed (while compiling numpy/core/src/multiarray/numpyos.c)" },
	/* Vite's (rolldown's) file it could not load */
	{ "#5 [2/3] RUN npm run build\n"
	  "#5 1.0 > vite build\n"
	  "#5 2.0 error during build:\n"
	  "#5 3.0 Build failed with 1 error:\n"
	  "#5 4.0 [UNLOADABLE_DEPENDENCY] Error: Could not load src/index.css\n"
	  "#5 5.0     at aggregateBindingErrorsIntoJsError (file:///app/node_modules/rolldown/dist/shared/error-BO4SlZV_.mjs:48:18)\n"
	  "#5 ERROR: process \"/bin/sh -c npm run build\" did not complete successfully: exit code: 1\n",
	  "inferred.application", "src/index.css",
	  "`npm run build` (step 2/3) exited with code 1 after printing: at aggregateBindingErrorsIntoJsError (file:///app/node_modules/rolldown/dist/shared/error-BO4SlZV_.mjs:48:18)" },
	/* the inferred quote skips BuildKit's blank summary line */
	{ "#11 [6/7] RUN npm run build\n"
	  "#11 22.37 > app@0.1.0 build\n"
	  "#11 23.94 > next build\n"
	  "#11 25.02 You are using Node.js 18.20.8. For Next.js, Node.js version \">=20.9.0\" is required.\n"
	  "#11 25.10 \n"
	  "#11 ERROR: process \"/bin/sh -c npm run build\" did not complete successfully: exit code: 1\n"
	  "------\n"
	  " > [6/7] RUN npm run build:\n"
	  "23.94 > next build\n"
	  "25.02 You are using Node.js 18.20.8. For Next.js, Node.js version \">=20.9.0\" is required.\n"
	  "25.10 \n"
	  "------\n",
	  "inferred.application", "npm run build",
	  "`npm run build` (step 6/7) exited with code 1 after printing: You are using Node.js 18.20.8. For Next.js, Node.js version \">=20.9.0\" is required." },
	/* a Dockerfile mistake in a FROM: its arguments */
	{ "Sending build context to Docker daemon  3.072kB\n"
	  "Step 1/6 : ARG BASE\n"
	  "Step 2/6 : FROM ${BASE}\n"
	  "invalid reference format\n",
	  "docker.invalid-reference-format", "${BASE}",
	  "An image name in the Dockerfile (or the image tag) is not a valid reference" },
};

static void test_subjects(void **state)
{
	struct ruleset rs;
	struct causes causes = CAUSES_INIT;
	size_t i;

	(void)state;
	ruleset_init(&rs);
	assert_int_equal(ruleset_load_builtin(&rs, &causes), RULES_OK);
	assert_int_equal(ruleset_link(&rs, &causes), RULES_OK);
	for (i = 0; i < ARRAY_SIZE(rows); i++) {
		struct causes warnings = CAUSES_INIT;
		struct source src;
		struct diagnoses d;

		source_init(&src, SOURCE_STDIN);
		log_add_text(&src.log, rows[i].text, strlen(rows[i].text));
		analysis_run(&rs, &src, &d, &warnings);
		assert_int_equal(warnings.nr, 0);
		assert_top_finding(&d, i, rows[i].id, rows[i].subject);
		if (strcmp(d.items[0].summary, rows[i].summary))
			fail_msg("row %zu: summary [%s], want [%s]", i, d.items[0].summary,
				 rows[i].summary);
		diagnoses_release(&d);
		source_release(&src);
	}
	ruleset_release(&rs);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_subjects),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
