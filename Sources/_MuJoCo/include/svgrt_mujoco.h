// The MuJoCo C library, loaded at run time (dlopen) so that svg-rt builds and runs without it:
// the MuJoCo plants then say that the library is missing instead of failing to link.
// Compiled against the headers of PyPI's mujoco-core wheel when scripts/setup-mujoco has put
// them at .mujoco/include; without them every function reports "built without MuJoCo".
// Underscored module: the Swift API is Plants.MuJoCoPlant.
#ifndef SVGRT_MUJOCO_H
#define SVGRT_MUJOCO_H

#include <stddef.h>

/// One loaded model and its data (mjModel + mjData). Opaque.
typedef struct svgrt_mj_sim svgrt_mj_sim;

/// The mjVERSION_HEADER this shim was compiled against (e.g. 4000000), 0 without headers.
int svgrt_mj_header_version(void);

/// Loads libmujoco from `path` (once per process; later calls return the first result).
/// 0 on success; otherwise -1 and a one-line reason in `error`. Refuses a library whose
/// mj_version() differs from the headers' (struct layouts would not match).
int svgrt_mj_open(const char *path, char *error, size_t error_size);

/// The loaded library's version string ("4.0.0"), or NULL before a successful open.
const char *svgrt_mj_version_string(void);

/// Compiles an MJCF model from `xml` (NUL-terminated) and makes its data; NULL and a reason
/// in `error` on failure. Allocates; everything after it does not.
svgrt_mj_sim *svgrt_mj_load(const char *xml, char *error, size_t error_size);
void svgrt_mj_free(svgrt_mj_sim *sim);

/// Sizes: generalized positions, velocities, actuators, bodies, sites.
int svgrt_mj_nq(const svgrt_mj_sim *sim);
int svgrt_mj_nv(const svgrt_mj_sim *sim);
int svgrt_mj_nu(const svgrt_mj_sim *sim);
/// The model's integrator time step in seconds (one mj_step).
double svgrt_mj_timestep(const svgrt_mj_sim *sim);

/// The data's arrays (valid until svgrt_mj_free): qpos (nq), qvel (nv), ctrl (nu),
/// qfrc_constraint (nv), xipos (nbody × 3, body centres of mass), site_xpos (nsite × 3).
double *svgrt_mj_qpos(svgrt_mj_sim *sim);
double *svgrt_mj_qvel(svgrt_mj_sim *sim);
double *svgrt_mj_ctrl(svgrt_mj_sim *sim);
const double *svgrt_mj_qfrc_constraint(const svgrt_mj_sim *sim);
const double *svgrt_mj_xipos(const svgrt_mj_sim *sim);
const double *svgrt_mj_site_xpos(const svgrt_mj_sim *sim);
/// The model's default pose qpos0 (nq) and actuator control ranges (nu × 2: low, high).
const double *svgrt_mj_qpos0(const svgrt_mj_sim *sim);
const double *svgrt_mj_ctrlrange(const svgrt_mj_sim *sim);
/// Index of the body called `name`, -1 if there is none.
int svgrt_mj_body_id(const svgrt_mj_sim *sim, const char *name);

/// mj_resetData: the default pose, zero velocity, time 0.
void svgrt_mj_reset(svgrt_mj_sim *sim);
/// mj_forward after qpos/qvel were written (gymnasium's set_state).
void svgrt_mj_forward(svgrt_mj_sim *sim);
/// `n` × mj_step with the current ctrl, then mj_rnePostConstraint (gymnasium's do_simulation).
void svgrt_mj_step(svgrt_mj_sim *sim, int n);
/// Warnings MuJoCo raised since the library was opened (counted, not printed), and the last.
unsigned long svgrt_mj_warning_count(const char **last);
/// Simulated time in seconds.
double svgrt_mj_time(const svgrt_mj_sim *sim);

#endif
