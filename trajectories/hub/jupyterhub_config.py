# JupyterHub for a class on one machine: each student logs in and lands on the app in their own Jupyter server.
# Run: TRAJECTORIES_HUB_PASSWORD='<class password>' jupyterhub -f jupyterhub_config.py
# Settings come from the environment: TRAJECTORIES_HUB_PASSWORD (8 characters or more), TRAJECTORIES_HUB_USERS
# ("alice,bob": only these names may log in; unset: any name, with the password), TRAJECTORIES_HUB_IP (default
# 127.0.0.1; 0.0.0.0 for a classroom network), TRAJECTORIES_HUB_PORT (8000), TRAJECTORIES_HUB_API_PORT (8081),
# TRAJECTORIES_HUB_PROXY_API_PORT (8001), TRAJECTORIES_HUB_STATE (folder for the hub's files, default ./hub-state).
import os
import sys
from pathlib import Path

from trajectories.serve import (
    CULL_INTERVAL,
    DEFAULT_CULL_IDLE,
    TEMPLATE,
    WEBSOCKET_CONNECTION,
    jupyter_path,
    notebook_path,
)

c = get_config()  # noqa: F821 (JupyterHub defines it)
env = os.environ.get
state = Path(env("TRAJECTORIES_HUB_STATE", "hub-state")).resolve()
state.mkdir(parents=True, exist_ok=True)

# The proxy (configurable-http-proxy) is what students open; the hub and the proxy's API stay on loopback.
c.JupyterHub.ip = env("TRAJECTORIES_HUB_IP", "127.0.0.1")
c.JupyterHub.port = int(env("TRAJECTORIES_HUB_PORT", "8000"))
c.JupyterHub.hub_ip = "127.0.0.1"
c.JupyterHub.hub_port = int(env("TRAJECTORIES_HUB_API_PORT", "8081"))
c.ConfigurableHTTPProxy.api_url = f"http://127.0.0.1:{int(env('TRAJECTORIES_HUB_PROXY_API_PORT', '8001'))}"
c.ConfigurableHTTPProxy.pid_file = str(state / "proxy.pid")
c.JupyterHub.cookie_secret_file = str(state / "jupyterhub_cookie_secret")
c.JupyterHub.db_url = f"sqlite:///{state / 'jupyterhub.sqlite'}"

# Login. A real deployment changes these lines: the school's login (an OAuthenticator, LDAP) instead of one
# password that lets anyone log in under any allowed name.
password = env("TRAJECTORIES_HUB_PASSWORD", "")
if len(password) < 8:
    raise ValueError("TRAJECTORIES_HUB_PASSWORD must be a password of 8 characters or more. Got "
                     f"{len(password)} characters instead.")
c.JupyterHub.authenticator_class = "shared-password"
c.SharedPasswordAuthenticator.user_password = password
if env("TRAJECTORIES_HUB_USERS"):
    c.Authenticator.allowed_users = set(env("TRAJECTORIES_HUB_USERS").split(","))
else:
    c.Authenticator.allow_all = True

# Students' servers. A real deployment changes these lines too: SimpleLocalProcessSpawner runs every student's
# server as the hub's own user, with no isolation between students (LocalProcessSpawner with system users,
# DockerSpawner, or KubeSpawner in Zero to JupyterHub isolate them).
c.JupyterHub.spawner_class = "simple"
c.SimpleLocalProcessSpawner.home_dir_template = str(state / "home" / "{username}")
c.Spawner.ip = "127.0.0.1"
c.Spawner.cmd = [sys.executable, "-m", "jupyterhub.singleuser"]  # this Python, which has trajectories installed
c.Spawner.http_timeout = 60  # a class logging in at once keeps 2 cores busy for a while
c.Spawner.start_timeout = 120

# The app: the server's root is the folder of the shipped app.ipynb and a login lands on its Voila page; Voila
# finds the `trajectories` template (no requests to a CDN) through JUPYTER_PATH.
c.Spawner.notebook_dir = str(notebook_path().parent)
c.Spawner.default_url = "/voila/render/app.ipynb"
c.Spawner.environment = {"JUPYTER_PATH": str(jupyter_path())}
c.Spawner.args = [
    f"--VoilaConfiguration.template={TEMPLATE}",
    "--VoilaConfiguration.http_header_envs=X-Forwarded-Proto",  # https behind a proxy, for the link field
    "--VoilaExecutor.iopub_timeout=60",  # as `trajectories serve`: a class arriving at once on few cores
    # a kernel whose page is gone is shut down after 10 minutes; the server itself after an hour with no kernel
    f"--MappingKernelManager.cull_idle_timeout={DEFAULT_CULL_IDLE}",
    f"--MappingKernelManager.cull_interval={CULL_INTERVAL}",
    "--ServerApp.shutdown_no_activity_timeout=3600",
    # as `trajectories serve`: a page closed while its kernel sends leaves no traceback in the server's log
    f"--ServerApp.kernel_websocket_connection_class={WEBSOCKET_CONNECTION}",
]
if os.geteuid() == 0:  # as root (a container), jupyter_server refuses to start without it
    c.Spawner.args.append("--ServerApp.allow_root=True")
