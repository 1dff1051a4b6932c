"""Reach of the knowledge base into skin and musculoskeletal presentations (branch kb-skin-msk).

For every condition added for this area: one short typical English note and one Chinese
note, written for this test (clinician or lay wording), each must put the condition in the
top 3 of the differential and get the triage level the agreed policy (CONDITIONS.md) gives.
"""

from __future__ import annotations

import pytest
from reach import check

CASES = [
    # (condition, age, sex, note, expected triage)
    ("eczema", 4, "female", "itchy dry scaly rash in the elbow creases and behind the knees on and off since infancy, mother has hay fever", "routine"),
    ("eczema", 25, "male", "自幼反复湿疹，肘窝、腘窝皮肤干燥粗糙，瘙痒明显，有过敏性鼻炎。", "routine"),
    ("urticaria", 30, "female", "itchy raised welts all over the body since yesterday, they come and go within a few hours. no lip swelling, no difficulty breathing.", "routine"),
    ("urticaria", 28, "male", "全身起风团伴瘙痒2天，时起时消，消退后不留痕迹，无口唇肿胀，无呼吸困难。", "routine"),
    ("chickenpox", 5, "male", "fever 2 days then itchy spots on the trunk and face, some are blisters, some crusted, in crops. brother had chickenpox last week. drinking well.", "routine"),
    ("chickenpox", 6, "female", "发热1天，躯干及面部分批出现红色丘疹、水疱，部分结痂，瘙痒，班上有水痘。精神好，能进食。", "routine"),
    ("herpes_zoster", 62, "female", "burning pain on the right side of the chest for 3 days, now a band of blisters on one side of the chest that does not cross the midline.", "routine"),
    ("herpes_zoster", 58, "male", "左侧腰部针刺样痛4天，昨日出现沿神经分布的簇集水疱，呈带状分布，不超过中线。", "routine"),
    ("herpes_simplex", 24, "female", "tingling then painful blisters on the upper lip, gets cold sores when she has a cold. otherwise well.", "routine"),
    ("herpes_simplex", 2, "male", "发热2天，牙龈红肿出血，舌和口腔多发溃疡，流口水，吃东西哭闹，还能喝水。", "routine"),
    ("contact_dermatitis", 35, "male", "itchy red rash on both hands for 1 week since starting work with wet cement, sharp border at the wrists. no fever.", "routine"),
    ("contact_dermatitis", 40, "female", "贴膏药后局部皮肤发红、瘙痒，起小丘疹，皮疹边界清楚，与接触部位一致。", "routine"),
    ("burns", 3, "male", "pulled a pot of boiling water onto his chest, scald with blisters over the chest and arm, crying with pain.", "urgent"),
    ("burns", 30, "female", "做饭时被热油烫伤右前臂，局部红肿起水疱，疼痛明显。", "urgent"),
    ("burns", 40, "male", "trapped in a burning house, burns to face and arms, singed nasal hairs, soot in the mouth, hoarse voice.", "emergency"),
    ("sunburn", 22, "male", "sunburn after working in the sun all day without a hat, shoulders and face red, sore and hot to touch. no fever.", "routine"),
    ("sunburn", 8, "female", "在海边玩了一整天，暴晒后双肩和背部皮肤发红、疼痛，无发热。", "routine"),
    ("wound_laceration", 28, "male", "cut his forearm with a machete 2 hours ago, 5 cm gaping wound, bleeding controlled with pressure, fingers move normally.", "urgent"),
    ("wound_laceration", 12, "male", "被玻璃割伤左手掌1小时，伤口裂开约3 cm，需要缝合，手指活动正常。", "urgent"),
    ("leprosy", 35, "male", "pale patches on the back and arm for a year, not itchy, patches are numb to touch, thickened ulnar nerve at the elbow.", "routine"),
    ("leprosy", 45, "female", "背部多处浅色斑一年余，不痒，皮损处感觉减退，尺神经粗大，家人有麻风病史。", "routine"),
    ("diaper_dermatitis", 0.7, "female", "red rash in the nappy area for 4 days, bright red in the skin folds with satellite spots. feeding well, no fever.", "routine"),
    ("diaper_dermatitis", 1, "male", "尿布区皮肤发红3天，红屁股，哭闹，吃奶好，无发热。", "routine"),
    ("pediculosis", 7, "female", "itchy scalp for 2 weeks, scratching her head, nits in the hair and lice seen behind the ears. classmates have lice.", "routine"),
    ("pediculosis", 9, "female", "头皮瘙痒2周，总挠头，头发上有虱卵，发现头虱。", "routine"),
    ("cutaneous_leishmaniasis", 30, "male", "painless sore on the cheek for 3 months, began as a small bump and became an ulcer with a raised border, lives in an area with sandflies.", "routine"),
    ("cutaneous_leishmaniasis", 25, "male", "右前臂结节破溃2个月，形成边缘隆起的溃疡，不痛，经久不愈，曾在白蛉多的地区打工。", "routine"),
    ("gout", 52, "male", "woke at night with severe pain in the big toe, red hot swollen toe, can't bear the sheet touching it. drank a lot of beer yesterday. similar attack last year.", "urgent"),
    ("gout", 48, "male", "昨晚喝啤酒吃海鲜后，右侧第一跖趾关节突发红肿热痛，疼痛剧烈，既往尿酸高。", "urgent"),
    ("osteoarthritis", 65, "female", "painful knees for years, worse on stairs and after walking, stiff for 10 minutes in the morning, crepitus on bending, bony enlargement of the knees, no warmth.", "routine"),
    ("osteoarthritis", 60, "female", "双膝关节疼痛多年，上下楼梯加重，晨僵几分钟，活动时有骨擦音，X线示骨质增生。", "routine"),
    ("septic_arthritis", 6, "male", "fever 39 for 2 days, right knee hot, red and swollen, refuses to walk, screams when the knee is moved.", "urgent"),
    ("septic_arthritis", 55, "male", "糖尿病，发热3天，左膝关节红肿热痛，不能负重，关节活动时剧痛。", "urgent"),
    ("osteomyelitis", 8, "male", "fever and pain in the left leg for 5 days, tender over the tibia, refusing to walk. has sickle cell disease.", "urgent"),
    ("osteomyelitis", 30, "male", "右小腿开放性骨折术后半年，伤口反复流脓，见窦道，偶有死骨排出。", "urgent"),
    ("fracture_dislocation", 9, "male", "fell from a tree onto his outstretched hand, wrist swollen with a dinner fork deformity, very painful, fingers warm.", "urgent"),
    ("fracture_dislocation", 78, "female", "老人在家跌倒后右髋疼痛，无法负重，右下肢短缩外旋。", "urgent"),
    ("fracture_dislocation", 30, "male", "motorbike accident, open fracture of the left leg with bone sticking out, foot cold and pale, no pulse in the foot.", "emergency"),
    ("low_back_pain", 40, "male", "low back pain for 1 week after lifting, pain radiating down the back of the left leg to the foot, SLR positive, no bladder problems, no saddle numbness.", "routine"),
    ("low_back_pain", 45, "female", "腰痛2周，伴左下肢放射痛，直腿抬高试验阳性，无大小便障碍，无鞍区麻木。", "routine"),
    ("low_back_pain", 50, "male", "back pain with pain down both legs for 2 days, now numb around the bottom and unable to pass urine.", "emergency"),
    ("rheumatoid_arthritis", 40, "female", "painful swollen finger joints and wrists on both hands for 3 months, symmetrical, morning stiffness for more than an hour. tired.", "routine"),
    ("rheumatoid_arthritis", 45, "female", "双手近端指间关节、掌指关节及双腕肿痛4个月，呈对称性，晨僵超过1小时，类风湿因子阳性。", "routine"),
]


@pytest.mark.parametrize(("condition", "age", "sex", "note", "level"), CASES,
                         ids=[f"{c[0]}-{i}" for i, c in enumerate(CASES)])
def test_condition_in_top3_with_policy_triage(condition, age, sex, note, level):
    check(condition, level, note, age=age, sex=sex)
