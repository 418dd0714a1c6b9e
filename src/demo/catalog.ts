/**
 * Static catalogue of the demo city (西安市): districts, departments and their 抽查事项清单,
 * industries and the word lists the name generator draws from. Pure data, no imports.
 *
 * District codes are the real 区划码 of Xi'an's 11 districts and 2 counties; weights are rounded
 * resident populations (2020 census, 万人) and drive where entities are located. Laws named in the
 * inspection items are real; the articles cited are the inspection-power or duty articles of those
 * laws as best known — this is demo data, not a published list. Every person, code and entity name
 * generated from these lists is synthetic.
 */

export interface DistrictDef {
  code: string;
  name: string;
  /** Relative weight for locating entities. */
  weight: number;
  /** Whether agriculture (cooperatives) is common there. */
  rural: boolean;
}

export const CITY = { code: "610100", name: "西安市" } as const;

export const DISTRICTS: readonly DistrictDef[] = [
  { code: "610102", name: "新城区", weight: 76, rural: false },
  { code: "610103", name: "碑林区", weight: 76, rural: false },
  { code: "610104", name: "莲湖区", weight: 102, rural: false },
  { code: "610111", name: "灞桥区", weight: 91, rural: true },
  { code: "610112", name: "未央区", weight: 160, rural: false },
  { code: "610113", name: "雁塔区", weight: 203, rural: false },
  { code: "610114", name: "阎良区", weight: 28, rural: true },
  { code: "610115", name: "临潼区", weight: 66, rural: true },
  { code: "610116", name: "长安区", weight: 133, rural: true },
  { code: "610117", name: "高陵区", weight: 50, rural: true },
  { code: "610118", name: "鄠邑区", weight: 56, rural: true },
  { code: "610122", name: "蓝田县", weight: 51, rural: true },
  { code: "610124", name: "周至县", weight: 45, rural: true },
];

export type ItemMethod = "on-site" | "written" | "online";

/** [name, category, legal basis, method, key (重点)?, target industries (GB/T 4754 divisions or sections; "" = all)] */
type ItemRow = readonly [string, string, string, ItemMethod, boolean, string];

export interface DepartmentDef {
  /** Stable id, D01…D20. */
  id: string;
  /** Name without the city prefix, e.g. 市场监督管理局. */
  name: string;
  /** Also present at district level (one district department per district, parent = this). */
  districtLevel: boolean;
  /** 业务专长 an inspector of the department may have. */
  specialities: readonly string[];
  /** Titles of the department's outside experts. */
  expertFields: readonly string[];
  items: readonly ItemRow[];
}

const 食安法 = "《中华人民共和国食品安全法》";
const 安全生产法 = "《中华人民共和国安全生产法》";
const 环保法 = "《中华人民共和国环境保护法》";
const 道路运输条例 = "《中华人民共和国道路运输条例》";

export const DEPARTMENTS: readonly DepartmentDef[] = [
  {
    id: "D01",
    name: "市场监督管理局",
    districtLevel: true,
    specialities: ["食品安全", "特种设备", "产品质量", "计量", "广告监管", "价格监督", "登记注册", "药品流通"],
    expertFields: ["食品检验", "特种设备检验", "产品质量检验", "计量检定"],
    items: [
      ["企业公示信息情况检查", "公示信息", "《企业信息公示暂行条例》第十四条", "written", false, ""],
      ["年度报告公示情况检查", "公示信息", "《市场主体登记管理条例》第三十五条", "online", false, ""],
      ["登记事项（住所、经营范围等）检查", "登记注册", "《市场主体登记管理条例》第三十八条", "on-site", false, ""],
      ["食品经营者检查", "食品安全", `${食安法}第一百一十条`, "on-site", true, "H62,F52,H61"],
      ["食品生产者检查", "食品安全", `${食安法}第一百一十条`, "on-site", true, "C13,C14,C15"],
      ["食品安全抽样检验", "食品安全", `${食安法}第八十七条`, "on-site", true, "C13,C14,C15,F52,H62"],
      ["特种设备使用单位检查", "特种设备", "《中华人民共和国特种设备安全法》第五十七条", "on-site", true, "K70,H61,C,D"],
      ["产品质量监督抽查", "产品质量", "《中华人民共和国产品质量法》第十五条", "on-site", false, "C,F51,F52"],
      ["强制检定计量器具使用检查", "计量", "《中华人民共和国计量法》第九条", "on-site", false, "F52,H62,Q84"],
      ["广告发布行为检查", "广告监管", "《中华人民共和国广告法》第四十九条", "online", false, "L72,I64,Q84"],
      ["明码标价和价格行为检查", "价格监督", "《中华人民共和国价格法》第三十四条", "on-site", false, "F52,H62,H61,O80"],
      ["药品零售企业检查", "药品流通", "《中华人民共和国药品管理法》第九十九条", "on-site", true, "F52"],
      ["不正当竞争行为检查", "竞争执法", "《中华人民共和国反不正当竞争法》第十三条", "on-site", false, ""],
    ],
  },
  {
    id: "D02",
    name: "生态环境局",
    districtLevel: false,
    specialities: ["大气环境", "水环境", "固体废物", "环境影响评价", "环境监测"],
    expertFields: ["环境工程", "环境监测", "危险废物处置"],
    items: [
      ["排污单位现场检查", "排污许可", `${环保法}第二十四条`, "on-site", true, "C,D44"],
      ["大气污染物排放检查", "大气环境", "《中华人民共和国大气污染防治法》第二十九条", "on-site", true, "C,E,D44"],
      ["水污染物排放检查", "水环境", "《中华人民共和国水污染防治法》第三十条", "on-site", true, "C,A03,Q84"],
      ["工业固体废物和危险废物管理检查", "固体废物", "《中华人民共和国固体废物污染环境防治法》第二十七条", "on-site", true, "C,Q84,O81"],
      ["建设项目环境影响评价执行情况检查", "环境影响评价", `${环保法}第十九条`, "written", false, "C,E,K70"],
      ["重点排污单位环境信息公开检查", "环境信息", `${环保法}第五十五条`, "online", false, "C,D44"],
      ["机动车排放检验机构检查", "大气环境", "《中华人民共和国大气污染防治法》第五十四条", "on-site", false, "M74"],
    ],
  },
  {
    id: "D03",
    name: "住房和城乡建设局",
    districtLevel: false,
    specialities: ["工程质量", "施工安全", "建筑市场", "房地产市场", "物业管理", "城镇燃气"],
    expertFields: ["结构工程", "岩土工程", "建筑施工安全"],
    items: [
      ["建设工程质量检查", "工程质量", "《建设工程质量管理条例》第四十八条", "on-site", true, "E"],
      ["预拌混凝土和建材质量检查", "工程质量", "《建设工程质量管理条例》第四十七条", "on-site", false, "C30"],
      ["建筑施工安全生产检查", "施工安全", "《建设工程安全生产管理条例》第四十三条", "on-site", true, "E"],
      ["建筑业企业资质动态核查", "建筑市场", "《中华人民共和国建筑法》第十三条", "written", false, "E"],
      ["房地产开发企业检查", "房地产市场", "《中华人民共和国城市房地产管理法》第三十条", "written", false, "K70"],
      ["房地产经纪机构检查", "房地产市场", "《中华人民共和国城市房地产管理法》第五十八条", "on-site", false, "K70"],
      ["物业服务企业检查", "物业管理", "《物业管理条例》第五条", "on-site", false, "K70"],
      ["燃气经营企业检查", "城镇燃气", "《城镇燃气管理条例》第十五条", "on-site", true, "D45,F52"],
    ],
  },
  {
    id: "D04",
    name: "卫生健康委员会",
    districtLevel: false,
    specialities: ["公共场所卫生", "医疗执业", "传染病防治", "职业卫生", "生活饮用水"],
    expertFields: ["临床医学", "公共卫生", "职业卫生"],
    items: [
      ["公共场所卫生检查", "公共场所卫生", "《公共场所卫生管理条例》第十条", "on-site", false, "H61,O80,R89,R90"],
      ["医疗机构依法执业检查", "医疗执业", "《医疗机构管理条例》第四十条", "on-site", true, "Q84"],
      ["传染病防治检查", "传染病防治", "《中华人民共和国传染病防治法》第五十三条", "on-site", true, "Q84"],
      ["用人单位职业病防治检查", "职业卫生", "《中华人民共和国职业病防治法》第六十二条", "on-site", true, "C"],
      ["生活饮用水卫生检查", "生活饮用水", "《中华人民共和国传染病防治法》第二十九条", "on-site", false, "D46"],
      ["消毒产品生产企业检查", "传染病防治", "《中华人民共和国传染病防治法》第二十九条", "on-site", false, "C26"],
      ["母婴保健技术服务检查", "医疗执业", "《中华人民共和国母婴保健法》第二十九条", "on-site", false, "Q84"],
    ],
  },
  {
    id: "D05",
    name: "交通运输局",
    districtLevel: false,
    specialities: ["道路客运", "道路货运", "机动车维修", "驾驶培训", "危险货物运输"],
    expertFields: ["道路运输安全", "汽车维修技术"],
    items: [
      ["道路旅客运输经营者检查", "道路运输", `${道路运输条例}第七条`, "on-site", false, "G54"],
      ["道路货物运输经营者检查", "道路运输", `${道路运输条例}第七条`, "on-site", false, "G54,G59"],
      ["机动车维修经营者检查", "机动车维修", `${道路运输条例}第三十七条`, "on-site", false, "O81"],
      ["机动车驾驶员培训机构检查", "驾驶培训", "《中华人民共和国道路交通安全法》第二十条", "on-site", false, "P83"],
      ["交通运输企业安全生产检查", "安全生产", `${安全生产法}第六十五条`, "on-site", true, "G54,G59"],
      ["危险货物道路运输检查", "危险货物运输", "《危险化学品安全管理条例》第七条", "on-site", true, "G54"],
    ],
  },
  {
    id: "D06",
    name: "应急管理局",
    districtLevel: true,
    specialities: ["工贸安全", "危险化学品", "烟花爆竹", "应急救援", "安全培训"],
    expertFields: ["安全工程", "化工安全", "应急救援"],
    items: [
      ["工贸企业安全生产检查", "安全生产", `${安全生产法}第六十五条`, "on-site", true, "C,F51"],
      ["危险化学品经营企业检查", "危险化学品", "《危险化学品安全管理条例》第七条", "on-site", true, "F51,C26"],
      ["烟花爆竹经营单位检查", "烟花爆竹", "《烟花爆竹安全管理条例》第四条", "on-site", true, "F52"],
      ["粉尘涉爆企业检查", "安全生产", `${安全生产法}第六十五条`, "on-site", true, "C13,C14,C34"],
      ["生产安全事故应急预案管理检查", "应急预案", `${安全生产法}第八十一条`, "written", false, ""],
      ["安全生产教育和培训检查", "安全培训", `${安全生产法}第二十八条`, "written", false, ""],
    ],
  },
  {
    id: "D07",
    name: "文化和旅游局",
    districtLevel: false,
    specialities: ["旅游市场", "娱乐场所", "网络文化", "演出市场"],
    expertFields: ["旅游管理", "文化市场"],
    items: [
      ["旅行社经营行为检查", "旅游市场", "《中华人民共和国旅游法》第八十五条", "on-site", false, "L72"],
      ["在线旅游经营者检查", "旅游市场", "《中华人民共和国旅游法》第八十五条", "online", false, "I64,L72"],
      ["娱乐场所经营活动检查", "文化市场", "《娱乐场所管理条例》第四条", "on-site", false, "R90"],
      ["互联网上网服务营业场所检查", "文化市场", "《互联网上网服务营业场所管理条例》第四条", "on-site", false, "R90"],
      ["营业性演出检查", "文化市场", "《营业性演出管理条例》第五条", "on-site", false, "R88,R90"],
    ],
  },
  {
    id: "D08",
    name: "商务局",
    districtLevel: false,
    specialities: ["商业特许经营", "单用途预付卡", "再生资源", "拍卖"],
    expertFields: ["商贸流通"],
    items: [
      ["商业特许经营备案情况检查", "特许经营", "《商业特许经营管理条例》第八条", "written", false, "L72,F52,H62"],
      ["特许人信息披露情况检查", "特许经营", "《商业特许经营管理条例》第二十二条", "written", false, "L72,F52,H62"],
      ["单用途商业预付卡发卡企业检查", "预付卡", "《单用途商业预付卡管理办法（试行）》第四条", "written", false, "F52,H62,O80"],
      ["拍卖企业经营检查", "拍卖", "《中华人民共和国拍卖法》第十二条", "on-site", false, "L72"],
      ["再生资源回收经营者检查", "再生资源", "《再生资源回收管理办法》第七条", "on-site", false, "F51"],
    ],
  },
  {
    id: "D09",
    name: "农业农村局",
    districtLevel: false,
    specialities: ["农药", "兽药", "饲料", "种子", "农产品质量安全"],
    expertFields: ["植物保护", "兽医", "农产品检测"],
    items: [
      ["农药经营者检查", "农药", "《农药管理条例》第四十一条", "on-site", true, "F51,F52,A01"],
      ["兽药经营企业检查", "兽药", "《兽药管理条例》第三条", "on-site", false, "F51,F52,A03"],
      ["饲料和饲料添加剂生产企业检查", "饲料", "《饲料和饲料添加剂管理条例》第三条", "on-site", false, "C13"],
      ["种子生产经营者检查", "种子", "《中华人民共和国种子法》第五十条", "on-site", false, "A01,F51"],
      ["农产品生产经营者质量安全检查", "农产品质量安全", "《中华人民共和国农产品质量安全法》第七条", "on-site", true, "A01,A03"],
      ["农民专业合作社年度报告检查", "公示信息", "《中华人民共和国农民专业合作社法》第十七条", "written", false, "A"],
    ],
  },
  {
    id: "D10",
    name: "城市管理和综合执法局",
    districtLevel: false,
    specialities: ["市容环境", "户外广告", "餐饮油烟", "建筑垃圾", "生活垃圾"],
    expertFields: ["环境卫生"],
    items: [
      ["户外广告设施设置检查", "户外广告", "《城市市容和环境卫生管理条例》第十一条", "on-site", false, "L72,F52"],
      ["餐饮服务业油烟排放检查", "餐饮油烟", "《中华人民共和国大气污染防治法》第八十一条", "on-site", false, "H62"],
      ["建筑垃圾处置检查", "建筑垃圾", "《中华人民共和国固体废物污染环境防治法》第六十条", "on-site", false, "E"],
      ["生活垃圾分类投放检查", "生活垃圾", "《中华人民共和国固体废物污染环境防治法》第四十九条", "on-site", false, "H62,H61,F52"],
      ["门前责任区市容环境卫生检查", "市容环境", "《城市市容和环境卫生管理条例》第九条", "on-site", false, "F52,H62,O80"],
    ],
  },
  {
    id: "D11",
    name: "消防救援支队",
    districtLevel: false,
    specialities: ["消防监督", "建筑防火", "消防设施"],
    expertFields: ["消防工程"],
    items: [
      ["单位消防安全检查", "消防监督", "《中华人民共和国消防法》第五十三条", "on-site", true, ""],
      ["公众聚集场所消防安全检查", "消防监督", "《中华人民共和国消防法》第十五条", "on-site", true, "H61,H62,R90,F52"],
      ["消防设施维护保养检查", "消防设施", "《中华人民共和国消防法》第十六条", "on-site", false, ""],
      ["消防技术服务机构检查", "消防设施", "《中华人民共和国消防法》第三十四条", "on-site", false, "M74"],
      ["人员密集场所外墙保温和装修材料检查", "建筑防火", "《中华人民共和国消防法》第二十六条", "on-site", false, "H61,H62,R90"],
    ],
  },
  {
    id: "D12",
    name: "教育局",
    districtLevel: false,
    specialities: ["民办教育", "校外培训", "学校安全"],
    expertFields: ["教育管理"],
    items: [
      ["民办学校办学行为检查", "民办教育", "《中华人民共和国民办教育促进法》第四十一条", "on-site", false, "P83"],
      ["校外培训机构检查", "校外培训", "《中华人民共和国民办教育促进法》第十二条", "on-site", true, "P83"],
      ["校外培训收费和预收费监管检查", "校外培训", "《中华人民共和国民办教育促进法》第三十八条", "written", false, "P83"],
      ["培训机构从业人员资质检查", "校外培训", "《中华人民共和国教师法》第十条", "written", false, "P83"],
      ["培训场所安全检查", "学校安全", `${安全生产法}第四条`, "on-site", false, "P83"],
    ],
  },
  {
    id: "D13",
    name: "人力资源和社会保障局",
    districtLevel: false,
    specialities: ["劳动保障监察", "劳动合同", "工资支付", "人力资源市场"],
    expertFields: ["劳动关系"],
    items: [
      ["用人单位遵守劳动保障法律法规情况检查", "劳动保障监察", "《劳动保障监察条例》第十一条", "on-site", false, ""],
      ["劳动合同制度实施情况检查", "劳动合同", "《中华人民共和国劳动合同法》第七十四条", "written", false, ""],
      ["农民工工资支付情况检查", "工资支付", "《保障农民工工资支付条例》第四十六条", "on-site", true, "E"],
      ["劳务派遣单位检查", "劳动合同", "《中华人民共和国劳动合同法》第五十七条", "written", false, "L72"],
      ["人力资源服务机构检查", "人力资源市场", "《人力资源市场暂行条例》第三十五条", "on-site", false, "L72"],
    ],
  },
  {
    id: "D14",
    name: "自然资源和规划局",
    districtLevel: false,
    specialities: ["土地利用", "矿产资源", "测绘地理信息", "规划许可"],
    expertFields: ["测绘", "地质"],
    items: [
      ["土地利用情况检查", "土地利用", "《中华人民共和国土地管理法》第六十八条", "on-site", false, "K70,E"],
      ["矿产资源开采情况检查", "矿产资源", "《中华人民共和国矿产资源法》第十一条", "on-site", true, "B10"],
      ["测绘资质单位检查", "测绘地理信息", "《中华人民共和国测绘法》第二十七条", "written", false, "M74"],
      ["建设工程规划许可执行情况检查", "规划许可", "《中华人民共和国城乡规划法》第五十三条", "on-site", false, "E,K70"],
      ["地图审核和使用检查", "测绘地理信息", "《中华人民共和国测绘法》第三十八条", "online", false, "I64,M74"],
    ],
  },
  {
    id: "D15",
    name: "水务局",
    districtLevel: false,
    specialities: ["水资源", "河道管理", "城镇排水", "水土保持"],
    expertFields: ["水利工程"],
    items: [
      ["取水单位取水许可执行情况检查", "水资源", "《中华人民共和国水法》第六十条", "on-site", false, "C,D46"],
      ["河道管理范围内建设项目检查", "河道管理", "《中华人民共和国河道管理条例》第十一条", "on-site", false, "E"],
      ["排水户排水许可检查", "城镇排水", "《城镇排水与污水处理条例》第二十一条", "on-site", false, "H62,C,Q84"],
      ["生产建设项目水土保持检查", "水土保持", "《中华人民共和国水土保持法》第四十三条", "on-site", false, "E,B10"],
      ["供水单位检查", "水资源", "《中华人民共和国水法》第六十条", "on-site", true, "D46"],
    ],
  },
  {
    id: "D16",
    name: "民政局",
    districtLevel: false,
    specialities: ["养老服务", "社会组织", "殡葬管理"],
    expertFields: ["养老服务"],
    items: [
      ["养老机构服务质量检查", "养老服务", "《中华人民共和国老年人权益保障法》第四十七条", "on-site", true, "Q85"],
      ["养老机构安全检查", "养老服务", "《中华人民共和国老年人权益保障法》第四十八条", "on-site", true, "Q85"],
      ["殡葬服务单位检查", "殡葬管理", "《殡葬管理条例》第四条", "on-site", false, "O80"],
      ["婚姻介绍服务机构检查", "社会服务", "《中华人民共和国民法典》第一千零四十六条", "on-site", false, "O80"],
      ["养老服务收费情况检查", "养老服务", "《中华人民共和国老年人权益保障法》第四十七条", "written", false, "Q85"],
    ],
  },
  {
    id: "D17",
    name: "体育局",
    districtLevel: false,
    specialities: ["高危险性体育项目", "体育市场"],
    expertFields: ["体育场馆安全"],
    items: [
      ["高危险性体育项目经营检查", "高危险性体育项目", "《全民健身条例》第三十二条", "on-site", true, "R89"],
      ["游泳场所经营检查", "高危险性体育项目", "《全民健身条例》第三十二条", "on-site", true, "R89"],
      ["体育场馆开放和服务检查", "体育市场", "《中华人民共和国体育法》第八十七条", "on-site", false, "R89"],
      ["健身服务预付费检查", "体育市场", "《全民健身条例》第三十一条", "written", false, "R89"],
      ["体育培训机构检查", "体育市场", "《中华人民共和国体育法》第五十六条", "on-site", false, "R89,P83"],
    ],
  },
  {
    id: "D18",
    name: "医疗保障局",
    districtLevel: false,
    specialities: ["医保基金监管", "医药价格"],
    expertFields: ["医保审核", "临床医学"],
    items: [
      ["定点医疗机构医保基金使用检查", "医保基金监管", "《医疗保障基金使用监督管理条例》第二十七条", "on-site", true, "Q84"],
      ["定点零售药店医保基金使用检查", "医保基金监管", "《医疗保障基金使用监督管理条例》第二十七条", "on-site", true, "F52"],
      ["医药价格和招采信用检查", "医药价格", "《中华人民共和国价格法》第三十四条", "written", false, "Q84,F51"],
      ["医保信息系统数据检查", "医保基金监管", "《医疗保障基金使用监督管理条例》第二十六条", "online", false, "Q84"],
      ["医保协议履行情况检查", "医保基金监管", "《医疗保障基金使用监督管理条例》第十四条", "written", false, "Q84,F52"],
    ],
  },
  {
    id: "D19",
    name: "统计局",
    districtLevel: false,
    specialities: ["统计执法"],
    expertFields: ["统计调查"],
    items: [
      ["统计调查对象统计资料检查", "统计执法", "《中华人民共和国统计法》第三十五条", "on-site", false, ""],
      ["统计台账和原始记录检查", "统计执法", "《中华人民共和国统计法》第二十一条", "written", false, ""],
      ["联网直报数据质量检查", "统计执法", "《中华人民共和国统计法》第七条", "online", false, ""],
      ["统计上报及时性检查", "统计执法", "《中华人民共和国统计法》第七条", "written", false, ""],
      ["规模以上企业统计数据核查", "统计执法", "《中华人民共和国统计法》第三十五条", "on-site", true, "C,F51,E"],
    ],
  },
  {
    id: "D20",
    name: "烟草专卖局",
    districtLevel: false,
    specialities: ["烟草专卖"],
    expertFields: ["烟草质量检验"],
    items: [
      ["烟草专卖零售许可证持证经营检查", "烟草专卖", "《中华人民共和国烟草专卖法》第十六条", "on-site", false, "F52"],
      ["卷烟进货渠道检查", "烟草专卖", "《中华人民共和国烟草专卖法实施条例》第二十三条", "on-site", false, "F52"],
      ["烟草制品批发企业检查", "烟草专卖", "《中华人民共和国烟草专卖法》第十五条", "on-site", true, "F51"],
      ["向未成年人售烟行为检查", "烟草专卖", "《中华人民共和国未成年人保护法》第五十九条", "on-site", true, "F52"],
      ["电子烟经营检查", "烟草专卖", "《中华人民共和国烟草专卖法实施条例》第六十五条", "on-site", false, "F52"],
    ],
  },
];

/** [GB/T 4754-2017 division code (section letter + 2 digits), label, enterprise name words, individual name words (with their own suffix)] */
export interface IndustryDef {
  code: string;
  label: string;
  /** Relative weights per entity kind. */
  weight: { enterprise: number; individual: number; cooperative: number };
  /** Business words for enterprise names, e.g. 餐饮管理. */
  enterpriseWords: readonly string[];
  /** Shop words for individual businesses, complete with suffix, e.g. 面馆. */
  shopWords: readonly string[];
}

export const INDUSTRIES: readonly IndustryDef[] = [
  { code: "A01", label: "农业", weight: { enterprise: 1, individual: 1, cooperative: 55 }, enterpriseWords: ["农业科技", "生态农业"], shopWords: ["果蔬种植园", "农资店"] },
  { code: "A03", label: "畜牧业", weight: { enterprise: 1, individual: 0.5, cooperative: 25 }, enterpriseWords: ["畜牧", "养殖"], shopWords: ["养殖场"] },
  { code: "A05", label: "农、林、牧、渔专业及辅助性活动", weight: { enterprise: 0.5, individual: 0.2, cooperative: 20 }, enterpriseWords: ["农机服务"], shopWords: ["农机服务部"] },
  { code: "B10", label: "非金属矿采选业", weight: { enterprise: 0.3, individual: 0, cooperative: 0 }, enterpriseWords: ["矿业", "石料"], shopWords: [] },
  { code: "C13", label: "农副食品加工业", weight: { enterprise: 2, individual: 0.5, cooperative: 0 }, enterpriseWords: ["食品", "粮油", "面粉"], shopWords: ["粮油加工坊"] },
  { code: "C14", label: "食品制造业", weight: { enterprise: 2, individual: 0.8, cooperative: 0 }, enterpriseWords: ["食品", "调味品"], shopWords: ["糕点坊", "馍店"] },
  { code: "C15", label: "酒、饮料和精制茶制造业", weight: { enterprise: 0.8, individual: 0.2, cooperative: 0 }, enterpriseWords: ["酒业", "饮品", "茶业"], shopWords: ["茶庄"] },
  { code: "C26", label: "化学原料和化学制品制造业", weight: { enterprise: 1, individual: 0, cooperative: 0 }, enterpriseWords: ["化工", "精细化工"], shopWords: [] },
  { code: "C30", label: "非金属矿物制品业", weight: { enterprise: 1.2, individual: 0, cooperative: 0 }, enterpriseWords: ["建材", "混凝土"], shopWords: [] },
  { code: "C34", label: "通用设备制造业", weight: { enterprise: 2, individual: 0, cooperative: 0 }, enterpriseWords: ["机械", "设备制造"], shopWords: [] },
  { code: "C39", label: "计算机、通信和其他电子设备制造业", weight: { enterprise: 1.5, individual: 0, cooperative: 0 }, enterpriseWords: ["电子", "光电", "半导体"], shopWords: [] },
  { code: "D44", label: "电力、热力生产和供应业", weight: { enterprise: 0.5, individual: 0, cooperative: 0 }, enterpriseWords: ["能源", "热力"], shopWords: [] },
  { code: "D45", label: "燃气生产和供应业", weight: { enterprise: 0.3, individual: 0, cooperative: 0 }, enterpriseWords: ["燃气"], shopWords: [] },
  { code: "D46", label: "水的生产和供应业", weight: { enterprise: 0.3, individual: 0, cooperative: 0 }, enterpriseWords: ["供水", "水务"], shopWords: [] },
  { code: "E47", label: "房屋建筑业", weight: { enterprise: 4, individual: 0, cooperative: 0 }, enterpriseWords: ["建筑工程", "建设工程"], shopWords: [] },
  { code: "E50", label: "建筑装饰、装修和其他建筑业", weight: { enterprise: 4, individual: 1.5, cooperative: 0 }, enterpriseWords: ["装饰工程", "建筑装饰"], shopWords: ["装饰部"] },
  { code: "F51", label: "批发业", weight: { enterprise: 14, individual: 3, cooperative: 0 }, enterpriseWords: ["商贸", "贸易", "供应链管理", "医药"], shopWords: ["批发部", "商行"] },
  { code: "F52", label: "零售业", weight: { enterprise: 8, individual: 36, cooperative: 0 }, enterpriseWords: ["超市", "百货", "药房", "便利店"], shopWords: ["便利店", "超市", "副食店", "五金店", "服装店", "烟酒店", "药店", "水果店"] },
  { code: "G54", label: "道路运输业", weight: { enterprise: 3, individual: 2, cooperative: 0 }, enterpriseWords: ["运输", "物流", "汽车客运"], shopWords: ["货运部"] },
  { code: "G59", label: "装卸搬运和仓储业", weight: { enterprise: 1, individual: 0.3, cooperative: 0 }, enterpriseWords: ["仓储", "物流"], shopWords: ["搬运部"] },
  { code: "H61", label: "住宿业", weight: { enterprise: 2, individual: 3, cooperative: 0 }, enterpriseWords: ["酒店管理", "宾馆"], shopWords: ["宾馆", "旅馆", "民宿"] },
  { code: "H62", label: "餐饮业", weight: { enterprise: 5, individual: 27, cooperative: 0 }, enterpriseWords: ["餐饮管理", "餐饮"], shopWords: ["面馆", "小吃店", "泡馍馆", "火锅店", "饺子馆", "烧烤店", "餐厅", "凉皮店"] },
  { code: "I64", label: "互联网和相关服务", weight: { enterprise: 3, individual: 0.3, cooperative: 0 }, enterpriseWords: ["网络科技", "互联网信息服务"], shopWords: ["网络工作室"] },
  { code: "I65", label: "软件和信息技术服务业", weight: { enterprise: 8, individual: 0.5, cooperative: 0 }, enterpriseWords: ["信息技术", "软件", "科技"], shopWords: ["电脑服务部"] },
  { code: "K70", label: "房地产业", weight: { enterprise: 4, individual: 0.8, cooperative: 0 }, enterpriseWords: ["房地产开发", "物业管理", "置业", "房产经纪"], shopWords: ["房屋中介"] },
  { code: "L72", label: "商务服务业", weight: { enterprise: 10, individual: 1.5, cooperative: 0 }, enterpriseWords: ["企业管理咨询", "文化传媒", "广告", "人力资源", "旅行社", "拍卖"], shopWords: ["广告部", "图文店"] },
  { code: "M74", label: "专业技术服务业", weight: { enterprise: 3, individual: 0, cooperative: 0 }, enterpriseWords: ["检测技术", "工程设计", "测绘"], shopWords: [] },
  { code: "N77", label: "生态保护和环境治理业", weight: { enterprise: 1, individual: 0, cooperative: 0 }, enterpriseWords: ["环保科技", "环境工程"], shopWords: [] },
  { code: "O80", label: "居民服务业", weight: { enterprise: 2, individual: 14, cooperative: 0 }, enterpriseWords: ["家政服务", "婚庆服务", "美容美发"], shopWords: ["理发店", "美容院", "洗衣店", "家政服务部", "摄影部"] },
  { code: "O81", label: "机动车、电子产品和日用产品修理业", weight: { enterprise: 1.5, individual: 7, cooperative: 0 }, enterpriseWords: ["汽车维修", "汽车服务"], shopWords: ["汽车修理部", "家电维修部", "手机维修店", "修车铺"] },
  { code: "P83", label: "教育", weight: { enterprise: 2, individual: 0.8, cooperative: 0 }, enterpriseWords: ["教育科技", "职业技能培训", "驾驶员培训"], shopWords: ["书画培训部"] },
  { code: "Q84", label: "卫生", weight: { enterprise: 1, individual: 1.2, cooperative: 0 }, enterpriseWords: ["医疗管理", "口腔医疗"], shopWords: ["诊所", "口腔诊所", "中医诊所"] },
  { code: "Q85", label: "社会工作", weight: { enterprise: 0.5, individual: 0.2, cooperative: 0 }, enterpriseWords: ["养老服务", "康养"], shopWords: ["托老所"] },
  { code: "R88", label: "文化艺术业", weight: { enterprise: 1, individual: 0.3, cooperative: 0 }, enterpriseWords: ["文化艺术", "演艺"], shopWords: ["工艺品店"] },
  { code: "R89", label: "体育", weight: { enterprise: 1, individual: 0.8, cooperative: 0 }, enterpriseWords: ["体育文化", "健身"], shopWords: ["健身房", "游泳馆"] },
  { code: "R90", label: "娱乐业", weight: { enterprise: 1, individual: 1.5, cooperative: 0 }, enterpriseWords: ["娱乐", "文化娱乐"], shopWords: ["网吧", "KTV", "棋牌室"] },
];

/** Cooperative product words (…专业合作社) per cooperative industry. */
export const COOP_WORDS: Readonly<Record<string, readonly string[]>> = {
  A01: ["猕猴桃种植", "樱桃种植", "蔬菜种植", "石榴种植", "葡萄种植", "粮食种植", "核桃种植", "花卉苗木", "中药材种植", "食用菌种植", "茶叶种植"],
  A03: ["生猪养殖", "奶山羊养殖", "蛋鸡养殖", "肉牛养殖", "肉羊养殖"],
  A05: ["农机", "植保", "农资服务"],
};

/** Characters trade names (字号) are built from. Two are picked per name. */
export const TRADE_CHARS =
  "秦华长安汉唐丰瑞鑫德润和盛兴源达泰恒嘉博宏锦福祥康佳明诚信远天宇金鼎昌隆裕益通辉凯正中新星海云山雁曲江灞沣渭骊鸿晟聚合众鹏程美乐欣荣昊顺发旺祥泽洋宁广宸睿弘煜";

export const SURNAMES =
  "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶阎余潘杜戴夏钟汪田任姜范方石姚谭廖邹熊金陆郝孔白崔康毛邱秦江史顾侯邵孟龙万段雷钱汤尹黎易常武乔贺赖龚文";

export const GIVEN_CHARS =
  "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍红燕波宁晨阳建国志红斌文辉鹏飞雪梅琳欣悦浩宇思远子涵嘉怡雨轩博文佳琪晓东海峰亚楠";

/** Road-name syllables for synthetic addresses (…路 / …街 / …大道). */
export const ROAD_CHARS = "丰庆文景太白含光雁翔长乐东关西华兴善朱宏安凤城明光科技锦业唐延电子永和枫林丈八沣惠昆明劳动";

export const EXPERT_ORGS: readonly string[] = ["检测研究院", "设计研究院", "技术服务中心", "职业技术学院", "工程咨询有限公司", "医院", "行业协会"];

export const RECUSAL_REASONS: readonly string[] = [
  "近亲属在该主体任职",
  "本人三年内曾在该主体任职",
  "本人或近亲属持有该主体股份",
  "与该主体负责人有其他利害关系",
];

/** 部门联合抽查事项清单 (cross-department joint templates) over the city departments' items. */
export interface JointTemplateDef {
  code: string;
  /** 领域 */
  field: string;
  name: string;
  target: string;
  /** 发起部门 (department id, e.g. D01). */
  lead: string;
  /** 配合部门 */
  partners: readonly string[];
  /** Item codes (e.g. D01-04); each belongs to the lead or a partner. */
  items: readonly string[];
}

export const JOINT_TEMPLATES: readonly JointTemplateDef[] = [
  { code: "JT01", field: "食品安全", name: "餐饮服务单位部门联合抽查", target: "餐饮服务单位", lead: "D01", partners: ["D10", "D11"], items: ["D01-04", "D01-11", "D10-02", "D10-04", "D11-02"] },
  { code: "JT02", field: "安全生产", name: "工贸企业安全生产部门联合抽查", target: "工贸企业", lead: "D06", partners: ["D01", "D11", "D04"], items: ["D06-01", "D06-04", "D01-07", "D11-01", "D04-04"] },
  { code: "JT03", field: "建筑工程", name: "在建工程部门联合抽查", target: "建筑施工企业", lead: "D03", partners: ["D02", "D13", "D10"], items: ["D03-01", "D03-03", "D02-02", "D13-03", "D10-03"] },
  { code: "JT04", field: "文化旅游", name: "文化娱乐场所部门联合抽查", target: "娱乐场所、互联网上网服务营业场所", lead: "D07", partners: ["D11", "D04", "D01"], items: ["D07-03", "D07-04", "D11-02", "D04-01", "D01-11"] },
  { code: "JT05", field: "医疗卫生", name: "医疗机构部门联合抽查", target: "医疗机构", lead: "D04", partners: ["D18", "D02", "D01"], items: ["D04-02", "D04-03", "D18-01", "D02-04", "D01-09"] },
  { code: "JT06", field: "交通运输", name: "道路运输企业部门联合抽查", target: "道路运输企业", lead: "D05", partners: ["D06", "D11"], items: ["D05-02", "D05-05", "D05-06", "D06-05", "D11-01"] },
  { code: "JT07", field: "农业农村", name: "农资经营者部门联合抽查", target: "农药、种子、兽药经营者", lead: "D09", partners: ["D01"], items: ["D09-01", "D09-02", "D09-04", "D01-08"] },
  { code: "JT08", field: "药品安全", name: "定点零售药店部门联合抽查", target: "定点零售药店", lead: "D01", partners: ["D18"], items: ["D01-12", "D18-02"] },
];
