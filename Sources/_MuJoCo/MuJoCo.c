#include "svgrt_mujoco.h"

#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#if __has_include(<mujoco/mujoco.h>)
#include <mujoco/mujoco.h>
#define SVGRT_HAVE_MUJOCO 1
#else
#define SVGRT_HAVE_MUJOCO 0
#endif

#if SVGRT_HAVE_MUJOCO

struct svgrt_mj_sim {
    mjModel *model;
    mjData *data;
};

// The library's entry points, resolved once by svgrt_mj_open.
static struct {
    int state;  // 0 not tried, 1 open, -1 failed
    char error[512];
    char versionText[32];
    void (*defaultVFS)(mjVFS *);
    int (*addBufferVFS)(mjVFS *, const char *, const void *, int);
    void (*deleteVFS)(mjVFS *);
    mjModel *(*loadXML)(const char *, const mjVFS *, char *, int);
    mjData *(*makeData)(const mjModel *);
    void (*deleteData)(mjData *);
    void (*deleteModel)(mjModel *);
    void (*resetData)(const mjModel *, mjData *);
    void (*forward)(const mjModel *, mjData *);
    void (*step)(const mjModel *, mjData *);
    void (*rnePostConstraint)(const mjModel *, mjData *);
    int (*name2id)(const mjModel *, int, const char *);
    int (*version)(void);
    const char *(*versionString)(void);
} lib;

// MuJoCo's warnings (e.g. an unstable simulation it reset) are counted and the last one kept,
// instead of MuJoCo's default of appending them to MUJOCO_LOG.TXT in the working directory.
static unsigned long warning_count;
static char last_warning[256];
static void record_warning(const char *message) {
    warning_count++;
    snprintf(last_warning, sizeof last_warning, "%s", message);
}
unsigned long svgrt_mj_warning_count(const char **last) {
    if (last) *last = last_warning;
    return warning_count;
}

int svgrt_mj_header_version(void) { return mjVERSION_HEADER; }

#define RESOLVE(field, symbol)                                                          \
    do {                                                                                \
        *(void **)(&lib.field) = dlsym(handle, symbol);                                 \
        if (!lib.field) {                                                               \
            snprintf(lib.error, sizeof lib.error, "%s has no symbol %s", path, symbol); \
            lib.state = -1;                                                             \
            goto done;                                                                  \
        }                                                                               \
    } while (0)

int svgrt_mj_open(const char *path, char *error, size_t error_size) {
    if (lib.state == 0) {
        void *handle = dlopen(path, RTLD_NOW | RTLD_LOCAL);
        if (!handle) {
            const char *reason = dlerror();
            snprintf(lib.error, sizeof lib.error, "cannot load %s: %s", path, reason ? reason : "unknown reason");
            lib.state = -1;
            goto done;
        }
        RESOLVE(defaultVFS, "mj_defaultVFS");
        RESOLVE(addBufferVFS, "mj_addBufferVFS");
        RESOLVE(deleteVFS, "mj_deleteVFS");
        RESOLVE(loadXML, "mj_loadXML");
        RESOLVE(makeData, "mj_makeData");
        RESOLVE(deleteData, "mj_deleteData");
        RESOLVE(deleteModel, "mj_deleteModel");
        RESOLVE(resetData, "mj_resetData");
        RESOLVE(forward, "mj_forward");
        RESOLVE(step, "mj_step");
        RESOLVE(rnePostConstraint, "mj_rnePostConstraint");
        RESOLVE(name2id, "mj_name2id");
        RESOLVE(version, "mj_version");
        RESOLVE(versionString, "mj_versionString");
        if (lib.version() != mjVERSION_HEADER) {
            snprintf(lib.error, sizeof lib.error,
                     "%s is MuJoCo %d but svg-rt was compiled against the headers of %d (run scripts/setup-mujoco and rebuild)",
                     path, lib.version(), mjVERSION_HEADER);
            lib.state = -1;
            goto done;
        }
        void (**user_warning)(const char *) = (void (**)(const char *))dlsym(handle, "mju_user_warning");
        if (user_warning) *user_warning = record_warning;
        snprintf(lib.versionText, sizeof lib.versionText, "%s", lib.versionString());
        lib.state = 1;
    }
done:
    if (lib.state != 1) {
        if (error && error_size) snprintf(error, error_size, "%s", lib.error);
        return -1;
    }
    return 0;
}

const char *svgrt_mj_version_string(void) { return lib.state == 1 ? lib.versionText : NULL; }

svgrt_mj_sim *svgrt_mj_load(const char *xml, char *error, size_t error_size) {
    if (lib.state != 1) {
        snprintf(error, error_size, "MuJoCo library not loaded");
        return NULL;
    }
    mjVFS vfs;
    lib.defaultVFS(&vfs);
    if (lib.addBufferVFS(&vfs, "model.xml", xml, (int)strlen(xml)) != 0) {
        lib.deleteVFS(&vfs);
        snprintf(error, error_size, "MuJoCo refused the model's XML buffer");
        return NULL;
    }
    char reason[1000] = "";
    mjModel *model = lib.loadXML("model.xml", &vfs, reason, (int)sizeof reason);
    lib.deleteVFS(&vfs);
    if (!model) {
        snprintf(error, error_size, "MuJoCo cannot compile the model: %s", reason);
        return NULL;
    }
    mjData *data = lib.makeData(model);
    if (!data) {
        lib.deleteModel(model);
        snprintf(error, error_size, "MuJoCo cannot allocate the model's data");
        return NULL;
    }
    svgrt_mj_sim *sim = malloc(sizeof *sim);
    if (!sim) {
        lib.deleteData(data);
        lib.deleteModel(model);
        snprintf(error, error_size, "out of memory");
        return NULL;
    }
    sim->model = model;
    sim->data = data;
    return sim;
}

void svgrt_mj_free(svgrt_mj_sim *sim) {
    if (!sim) return;
    lib.deleteData(sim->data);
    lib.deleteModel(sim->model);
    free(sim);
}

int svgrt_mj_nq(const svgrt_mj_sim *sim) { return sim->model->nq; }
int svgrt_mj_nv(const svgrt_mj_sim *sim) { return sim->model->nv; }
int svgrt_mj_nu(const svgrt_mj_sim *sim) { return sim->model->nu; }
double svgrt_mj_timestep(const svgrt_mj_sim *sim) { return sim->model->opt.timestep; }
double *svgrt_mj_qpos(svgrt_mj_sim *sim) { return sim->data->qpos; }
double *svgrt_mj_qvel(svgrt_mj_sim *sim) { return sim->data->qvel; }
double *svgrt_mj_ctrl(svgrt_mj_sim *sim) { return sim->data->ctrl; }
const double *svgrt_mj_qfrc_constraint(const svgrt_mj_sim *sim) { return sim->data->qfrc_constraint; }
const double *svgrt_mj_xipos(const svgrt_mj_sim *sim) { return sim->data->xipos; }
const double *svgrt_mj_site_xpos(const svgrt_mj_sim *sim) { return sim->data->site_xpos; }
const double *svgrt_mj_qpos0(const svgrt_mj_sim *sim) { return sim->model->qpos0; }
const double *svgrt_mj_ctrlrange(const svgrt_mj_sim *sim) { return sim->model->actuator_ctrlrange; }
int svgrt_mj_body_id(const svgrt_mj_sim *sim, const char *name) { return lib.name2id(sim->model, mjOBJ_BODY, name); }
void svgrt_mj_reset(svgrt_mj_sim *sim) { lib.resetData(sim->model, sim->data); }
void svgrt_mj_forward(svgrt_mj_sim *sim) { lib.forward(sim->model, sim->data); }
void svgrt_mj_step(svgrt_mj_sim *sim, int n) {
    for (int i = 0; i < n; i++) lib.step(sim->model, sim->data);
    lib.rnePostConstraint(sim->model, sim->data);
}
double svgrt_mj_time(const svgrt_mj_sim *sim) { return sim->data->time; }

#else  // built without the MuJoCo headers

struct svgrt_mj_sim { int unused; };

int svgrt_mj_header_version(void) { return 0; }
unsigned long svgrt_mj_warning_count(const char **last) {
    if (last) *last = "";
    return 0;
}
int svgrt_mj_open(const char *path, char *error, size_t error_size) {
    (void)path;
    if (error && error_size)
        snprintf(error, error_size, "svg-rt was built without MuJoCo (run scripts/setup-mujoco, then rebuild)");
    return -1;
}
const char *svgrt_mj_version_string(void) { return NULL; }
svgrt_mj_sim *svgrt_mj_load(const char *xml, char *error, size_t error_size) {
    (void)xml;
    svgrt_mj_open(NULL, error, error_size);
    return NULL;
}
void svgrt_mj_free(svgrt_mj_sim *sim) { (void)sim; }
int svgrt_mj_nq(const svgrt_mj_sim *sim) { (void)sim; return 0; }
int svgrt_mj_nv(const svgrt_mj_sim *sim) { (void)sim; return 0; }
int svgrt_mj_nu(const svgrt_mj_sim *sim) { (void)sim; return 0; }
double svgrt_mj_timestep(const svgrt_mj_sim *sim) { (void)sim; return 0; }
double *svgrt_mj_qpos(svgrt_mj_sim *sim) { (void)sim; return NULL; }
double *svgrt_mj_qvel(svgrt_mj_sim *sim) { (void)sim; return NULL; }
double *svgrt_mj_ctrl(svgrt_mj_sim *sim) { (void)sim; return NULL; }
const double *svgrt_mj_qfrc_constraint(const svgrt_mj_sim *sim) { (void)sim; return NULL; }
const double *svgrt_mj_xipos(const svgrt_mj_sim *sim) { (void)sim; return NULL; }
const double *svgrt_mj_site_xpos(const svgrt_mj_sim *sim) { (void)sim; return NULL; }
const double *svgrt_mj_qpos0(const svgrt_mj_sim *sim) { (void)sim; return NULL; }
const double *svgrt_mj_ctrlrange(const svgrt_mj_sim *sim) { (void)sim; return NULL; }
int svgrt_mj_body_id(const svgrt_mj_sim *sim, const char *name) { (void)sim; (void)name; return -1; }
void svgrt_mj_reset(svgrt_mj_sim *sim) { (void)sim; }
void svgrt_mj_forward(svgrt_mj_sim *sim) { (void)sim; }
void svgrt_mj_step(svgrt_mj_sim *sim, int n) { (void)sim; (void)n; }
double svgrt_mj_time(const svgrt_mj_sim *sim) { (void)sim; return 0; }

#endif
